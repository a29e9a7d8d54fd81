/**
 * The order of windows and floors: numbers as numbers (2 before 10), Chinese by its collation.
 * One collator for the process: `localeCompare` with a locale and options builds a new one on
 * every call, which made sorting 5,000 windows take about a third of a second.
 */
const collator = new Intl.Collator('zh', { numeric: true });

export const byWindowNumber: (a: string, b: string) => number = collator.compare;
