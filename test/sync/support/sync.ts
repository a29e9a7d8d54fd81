/** A real sync client on a real kiosk, enrolled at a test centre through the real API. */
import type { SyncStatus } from '../../../src/shared/contract';
import { createSyncClient, type SyncClient, type SyncClientOptions } from '../../../src/core/sync';
import { readCredentials, saveCredentials } from '../../../src/core/sync/credentials';
import type { TestCentre } from './centre';
import type { Terminal } from './terminal';

export interface SyncedTerminal {
  client: SyncClient;
  statuses: SyncStatus[];
}

export const FAST_RETRY = { attempts: 60, baseMs: 20, capMs: 400, maxRetryAfterMs: 5_000 };

/** Enrols directly at the centre, then syncs through `centreUrl` (a proxy) when given. */
export async function enrolledClient(t: Terminal, centre: TestCentre, options: Partial<SyncClientOptions> & { centreUrl?: string; windowNo?: string } = {}): Promise<SyncedTerminal> {
  const code = await centre.call('POST', '/v1/admin/enrolment-codes', { body: { windowNo: options.windowNo ?? t.kiosk.terminal.windowNo } });
  const enrolment = createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url });
  const enrolled = await enrolment.enrol(String(code.body.code));
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  // The token is bound to the address it was issued at: a window that reaches the centre through a proxy is enrolled there.
  const credentials = readCredentials(t.kiosk.db);
  if (options.centreUrl && credentials) saveCredentials(t.kiosk.db, { ...credentials, centreUrl: options.centreUrl });
  const statuses: SyncStatus[] = [];
  const client = createSyncClient({
    db: t.kiosk.db,
    terminalId: t.kiosk.terminal.terminalId,
    retry: FAST_RETRY,
    onStatus: (s) => {
      statuses.push(s);
      t.kiosk.setSyncStatus(s);
    },
    ...options,
    centreUrl: options.centreUrl ?? centre.url,
  });
  return { client, statuses };
}

/** What the centre holds of one terminal: seq → hash, per epoch. */
export async function centreRecords(centre: TestCentre, terminalId: string): Promise<{ epoch: number; seq: number; kind: string; hash: string; payload: string }[]> {
  return centre.centre.db.query(
    'SELECT epoch, seq, kind, hash, payload::text AS payload FROM records WHERE terminal_id = $1 ORDER BY epoch, seq',
    [terminalId],
  );
}

export function localRecords(t: Terminal): { epoch: number; seq: number; kind: string; hash: string; payload: string; acked_at: number | null }[] {
  return t.kiosk.db.prepare('SELECT epoch, seq, kind, hash, payload, acked_at FROM outbox ORDER BY id').all() as ReturnType<typeof localRecords>;
}
