/** The sync client as the running kiosk and the CLI both build it: one place reads the settings. */
import { dirname } from 'node:path';
import type { Kiosk } from '../kiosk';
import { fileLog } from '../log';
import { createSyncClient, type SyncClient, type SyncClientOptions } from './client';

const DAY = 86_400_000;

export function syncClientFor(kiosk: Kiosk, extra: Partial<SyncClientOptions> = {}): SyncClient {
  const { centre } = kiosk.config;
  return createSyncClient({
    db: kiosk.db,
    terminalId: kiosk.terminal.terminalId,
    centreUrl: centre.url,
    nightly: { at: centre.syncAt, utcOffsetMinutes: kiosk.utcOffsetMinutes },
    keepAcknowledgedMs: centre.keepAcknowledgedDays * DAY,
    onStatus: (status) => kiosk.setSyncStatus(status),
    // The data folder's log, where IT looks; the database lives in that folder.
    log: fileLog(dirname(kiosk.db.name), false),
    ...extra,
  });
}
