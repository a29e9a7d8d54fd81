/**
 * CSV cells a spreadsheet would run as a formula (OWASP CSV injection): text that begins
 * with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so Excel and WPS
 * show it as text. Numbers are values, not typed text, and pass unchanged.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCsvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One RFC 4180 field: neutralised, then quoted when it holds a quote, comma or line break. */
export function csvCell(value: unknown): string {
  const text = neutraliseCsvCell(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
