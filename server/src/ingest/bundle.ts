/**
 * Offline transfer: a window with no network exports its unacknowledged records to a file
 * (`cordial export-outbox`), and the centre imports it through the same exactly-once path
 * as an upload. The file is gzip JSON:
 *
 *   { "format": "cordial-outbox-bundle/1", "terminalId": "T…",
 *     "content": "<JSON text: { terminalId, createdAt, batches: [<upload batch>, …] }>",
 *     "signature": "<base64 Ed25519 signature of the content's UTF-8 bytes>" }
 *
 * The terminal signs with the private key made at enrolment; the centre checks with the
 * public key it registered then. A changed byte, or a file from another terminal, fails.
 */
import { createPublicKey, verify } from 'node:crypto';
import { one, type Sql } from '../db/sql';
import { Refusal } from '../errors';
import type { ResolvedOptions } from '../options';
import { BUNDLE_FORMAT, BundleContent, OutboxBundle } from '../../../src/shared/sync-wire';
import { parseBatch, refuseImpossibleTimes } from './batch';
import { ingestBatch, type IngestResult } from './store';

export interface BundleImport {
  terminalId: string;
  createdAt: number;
  batches: Omit<IngestResult, 'clockFlagged'>[];
}

function bad(message: string): Refusal {
  return new Refusal(400, 'bundle-invalid', message);
}

export async function importBundle(db: Sql, value: unknown, options: ResolvedOptions): Promise<BundleImport> {
  const format = typeof value === 'object' && value !== null ? (value as { format?: unknown }).format : undefined;
  if (format !== BUNDLE_FORMAT) throw bad(`the file is not a Cordial outbox bundle (format ${JSON.stringify(format ?? null)})`);
  const envelope = OutboxBundle.safeParse(value);
  if (!envelope.success) throw bad('the bundle lacks its terminal, content or signature');
  const { terminalId, content, signature } = envelope.data;

  const terminal = await one<{ public_key: string; revoked_at: number | null }>(db, 'SELECT public_key, revoked_at FROM terminals WHERE terminal_id = $1', [terminalId]);
  if (!terminal) throw bad(`terminal ${terminalId} is not enrolled at this centre`);
  if (terminal.revoked_at !== null) throw new Refusal(403, 'bundle-invalid', `terminal ${terminalId} was revoked; its bundles are not accepted`);
  const key = createPublicKey({ key: Buffer.from(terminal.public_key, 'base64'), format: 'der', type: 'spki' });
  if (!verify(null, Buffer.from(content, 'utf8'), key, Buffer.from(signature, 'base64'))) {
    throw new Refusal(422, 'bundle-signature-invalid', `the bundle's signature does not match terminal ${terminalId}: it was changed after export, or made by another terminal`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw bad('the signed content is not JSON');
  }
  const checked = BundleContent.safeParse(parsed);
  if (!checked.success || checked.data.terminalId !== terminalId) throw bad('the signed content does not describe this terminal\'s batches');
  const body = checked.data;

  const receivedAt = options.now();
  const batches = body.batches.map((b) => parseBatch(b, options.limits));
  for (const batch of batches) {
    if (batch.terminalId !== terminalId) throw bad(`a batch inside is for terminal ${batch.terminalId}`);
    refuseImpossibleTimes(batch, receivedAt, options);
  }
  const results: BundleImport['batches'] = [];
  for (const batch of batches) {
    try {
      const { clockFlagged: _ignored, ...result } = await ingestBatch(db, {
        terminalId,
        batch,
        recordsJson: JSON.stringify(batch.records),
        receivedAt,
        source: 'file',
        clockSkewToleranceMs: options.clockSkewToleranceMs,
      });
      results.push(result);
    } catch (err) {
      // Earlier batches are stored (each exactly once); say how far the import got.
      if (err instanceof Refusal) throw new Refusal(err.status, err.code, err.message, { ...err.extra, imported: results });
      throw err;
    }
  }
  return { terminalId, createdAt: body.createdAt, batches: results };
}
