import { defineConfig } from 'vite';

// The folder this file is in, without Node's path module: the console layer has no Node.
const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

// The centre console: one page, served by the centre at /, with hashed assets it may cache for long.
export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  build: {
    outDir: `${here}dist`,
    emptyOutDir: true,
    sourcemap: false,
    // The centre's CSP allows no inline script, so nothing may be inlined as a data: module either.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
});
