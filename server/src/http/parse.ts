import type { z } from 'zod';
import { Refusal } from '../errors';

/**
 * Where a parsed value holds a NUL character (in a text or a key), as a path; null when none.
 * PostgreSQL keeps no NUL in text or jsonb, so such a value would fail in the database
 * instead of being refused.
 */
function nulAt(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = nulAt(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return path;
      const found = nulAt(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/** Parses a request body or query with a schema; the first problem becomes a 400 a person can read. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, code: 'invalid-request' = 'invalid-request'): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) {
    const nul = nulAt(parsed.data);
    if (nul) throw new Refusal(400, code, `${nul.length > 0 ? `${nul.join('.')}: ` : ''}the text holds a NUL character (\\u0000), which the centre cannot store; remove it and send again`);
    return parsed.data;
  }
  const outer = parsed.error.issues[0];
  // A record's bad key or a map's bad element: its own message says what is wrong with it.
  const inner = outer && 'issues' in outer && Array.isArray(outer.issues) ? (outer.issues[0] as z.core.$ZodIssue | undefined) : undefined;
  const issue = inner ?? outer;
  const path = [...(outer?.path ?? []), ...(inner?.path ?? [])].map((p) => shortened(String(p), 40));
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  throw new Refusal(400, code, shortened(`${where}${issue?.message ?? 'malformed request'}`, MESSAGE_MAX));
}

/** The longest refusal sentence: a message may quote what was sent, never at length. */
const MESSAGE_MAX = 300;

/** The text, its middle left out when longer than `max`: the start names the field, the end says what is wrong. */
function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.4);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - head - 1))}`;
}
