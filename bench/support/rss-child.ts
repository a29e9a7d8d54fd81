/**
 * Opens the core over a big database and does a morning's work, then prints its RSS.
 * The benchmark bundles this file to plain JavaScript first, as Cordial ships, so the
 * figure is the core's and not the TypeScript loader's.
 */
import { Kiosk } from '../../src/core/kiosk';

const [dataDir, migrationsDir] = process.argv.slice(2) as [string, string];
const kiosk = Kiosk.open({ dataDir, migrationsDir, owner: 'bench rss' });
kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff');
for (let i = 0; i < 200; i++) {
  kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');
  kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff');
  kiosk.recordPress({ kind: 'key', key: 1 + (i % 5), keyCount: 5, deviceSerial: 'BENCH-RSS', eventId: i + 1, at: Date.now() });
  kiosk.today();
  kiosk.snapshot();
  // Cases arrive one at a time; the event loop turns between them as it does at a window.
  await new Promise((resolve) => setTimeout(resolve, 0));
}
kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff');
process.stdout.write(JSON.stringify({ rss: process.memoryUsage().rss }));
kiosk.close();
