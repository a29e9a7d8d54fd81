/** Percentiles and the table/JSON output every benchmark shares. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samples: number[]): { p50: number; p99: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
}

export const round = (x: number, digits = 3) => Number(x.toFixed(digits));

export function wantsJson(): boolean {
  return process.argv.includes('--json');
}

/** Prints rows as an aligned table: [label, value, target/note]. */
export function printTable(title: string, rows: [string, string, string][]): void {
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(`\n${title}\n${'-'.repeat(title.length)}`);
  for (const r of rows) console.log(`${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]}`);
}
