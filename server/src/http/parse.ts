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
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new Refusal(400, code, `${where}${issue?.message ?? 'malformed request'}`);
}
