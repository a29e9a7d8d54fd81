/** Real upload batches, built from a real kiosk's outbox exactly as the sync client builds them. */
import { gzipSync } from 'node:zlib';
import { nextBatch } from '../../../src/core/outbox/queue';
import { toUploadJson } from '../../../src/core/sync/upload-format';
import { openTerminal, recordUntil, type Terminal } from './terminal';

export interface BatchSource {
  terminal: Terminal;
  terminalId: string;
  /** The batch JSON (as an object) for seqs [from, to] of epoch 1. */
  batch(from: number, to: number, sentAt?: number): Record<string, unknown> & { records: Record<string, unknown>[] };
}

export function batchSource(records: number): BatchSource {
  const terminal = openTerminal();
  recordUntil(terminal, records);
  return {
    terminal,
    terminalId: terminal.kiosk.terminal.terminalId,
    batch(from, to, sentAt = Date.now()) {
      const b = nextBatch(terminal.kiosk.db, 1, from - 1, to - from + 1)!;
      return JSON.parse(toUploadJson(b, sentAt)) as ReturnType<BatchSource['batch']>;
    },
  };
}

export function gzipJson(value: unknown): Buffer {
  return gzipSync(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));
}

/** POSTs a body to /v1/batches as a terminal would. */
export async function upload(url: string, token: string, body: Buffer | string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/v1/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': 'gzip', ...headers },
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: response.status, body: json, headers: response.headers };
}
