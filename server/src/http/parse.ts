import type { z } from 'zod';
import { Refusal } from '../errors';

/** Parses a request body or query with a schema; the first problem becomes a 400 a person can read. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, code: 'invalid-request' = 'invalid-request'): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new Refusal(400, code, `${where}${issue?.message ?? 'malformed request'}`);
}
