/** The sync client as the running kiosk and the CLI both build it: one place reads the settings. */
import { dirname } from 'node:path';
import type { KioskConfig } from '../config';
import type { Kiosk } from '../kiosk';
import { fileLog } from '../log';
import { createSyncClient, type SyncClient, type SyncClientOptions } from './client';

const DAY = 86_400_000;

/** `centre`: the centre settings in force, when they changed after the kiosk was opened. */
export function syncClientFor(kiosk: Kiosk, extra: Partial<SyncClientOptions> = {}, centre: KioskConfig['centre'] = kiosk.config.centre): SyncClient {
  return createSyncClient({
    db: kiosk.db,
    terminalId: kiosk.terminal.terminalId,
    centreUrl: centre.url,
    nightly: { at: centre.syncAt, utcOffsetMinutes: kiosk.utcOffsetMinutes },
    keepAcknowledgedMs: centre.keepAcknowledgedDays * DAY,
    trust: { allowPlaintext: centre.allowPlaintext, caCertificate: centre.caCertificate, pin: centre.pin },
    onStatus: (status) => kiosk.setSyncStatus(status),
    // The data folder's log, where IT looks; the database lives in that folder.
    log: fileLog(dirname(kiosk.db.name), false),
    // Every kiosk event may follow a new record: a poor rating among them is sent at once.
    watch: (changed) => kiosk.subscribe(() => changed()),
    ...extra,
  });
}
