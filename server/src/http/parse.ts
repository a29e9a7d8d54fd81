import type { z } from 'zod';
import { Refusal } from '../errors';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be stored as sent, or null when it can. */
function textProblem(text: string): string | null {
  // PostgreSQL keeps no NUL in text or jsonb: such a value would fail in the database instead of being refused.
  if (text.includes('\u0000')) return 'the text holds a NUL character (\\u0000), which the centre cannot store; remove it and send again';
  // Half of a surrogate pair is no character: the database would keep a replacement mark in its place.
  if (LONE_SURROGATE.test(text)) return 'the text holds half of a character (a lone UTF-16 surrogate), which the centre would store garbled; type it again and send again';
  return null;
}

/** The first text (or key) in a parsed value that cannot be stored as sent: where, and why. */
function badTextAt(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; why: string } | null {
  if (typeof value === 'string') {
    const why = textProblem(value);
    return why ? { path, why } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = badTextAt(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const why = textProblem(k);
      if (why) return { path, why };
      const found = badTextAt(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/** Parses a request body or query with a schema; the first problem becomes a 400 a person can read. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, code: 'invalid-request' = 'invalid-request'): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) {
    const bad = badTextAt(parsed.data);
    if (bad) {
      const field = bad.path.map((p) => shortened(String(p), 40)).join('.');
      throw new Refusal(400, code, shortened(`${field ? `${field}: ` : ''}${bad.why}`, MESSAGE_MAX)).because('general.input_invalid', { field: field || '—', detail: shortened(bad.why, MESSAGE_MAX) });
    }
    return parsed.data;
  }
  const outer = parsed.error.issues[0];
  // A record's bad key or a map's bad element: its own message says what is wrong with it.
  const inner = outer && 'issues' in outer && Array.isArray(outer.issues) ? (outer.issues[0] as z.core.$ZodIssue | undefined) : undefined;
  const issue = inner ?? outer;
  const path = [...(outer?.path ?? []), ...(inner?.path ?? [])].map((p) => shortened(String(p), 40));
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  const detail = shortened(issue?.message ?? 'malformed request', MESSAGE_MAX);
  throw new Refusal(400, code, shortened(`${where}${detail}`, MESSAGE_MAX)).because('general.input_invalid', { field: path.join('.') || '—', detail });
}

/** The longest refusal sentence: a message may quote what was sent, never at length. */
const MESSAGE_MAX = 300;

/** The text, its middle left out when longer than `max`: the start names the field, the end says what is wrong. */
function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.4);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - head - 1))}`;
}
