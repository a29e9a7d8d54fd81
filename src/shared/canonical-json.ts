/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped.
 * The outbox hash chain is computed over this form, so the terminal and the centre
 * hash exactly the same bytes whatever order a record's fields were built in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
  return value;
}

/** The text hashed for one outbox record: the previous hash, a newline, then the record. */
export function outboxHashInput(prevHash: string, record: OutboxHashedFields): string {
  return `${prevHash}\n${canonicalJson(record)}`;
}

export interface OutboxHashedFields {
  terminalId: string;
  epoch: number;
  seq: number;
  kind: string;
  recordedAt: number;
  payload: unknown;
}

/** The prev_hash of the very first record a terminal writes. */
export const GENESIS_HASH = '0'.repeat(64);
