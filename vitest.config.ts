import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Serial ports, SQLite files and child processes are real: give each file its own process.
    pool: 'forks',
    // Most files wait on browsers, ports and child processes rather than compute: two at a
    // time on a two-core machine roughly halves the suite's wall time.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
