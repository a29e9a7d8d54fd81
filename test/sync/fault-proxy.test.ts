/**
 * Ten windows, 5,000 records each, synced through a proxy that drops connections, resets
 * them mid-body, loses replies, delays, duplicates requests and answers 500 and 503. At
 * the end the centre holds each record exactly once, every high-water mark is the last
 * seq, and every record on every window is at the centre, unchanged.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/core/paths';
import { ManualClock } from '../support/clock';
import { MORNING } from '../support/kiosk';
import { BACKENDS, openTestDatabase, type TestDatabase } from './support/backends';
import { startCentre, type TestCentre } from './support/centre';
import { FAULTS, seededRandom, startFaultProxy, type Fault, type FaultProxy } from './support/fault-proxy';
import { enrolledClient, localRecords } from './support/sync';
import { recordBacklog } from './support/backlog';
import { openTerminal, type Terminal } from './support/terminal';

const TERMINALS = 10;
const RECORDS = 5_000;

// The windows record their 5,000 records once; each backend gets fresh copies of their databases.
let templates: string;
beforeAll(() => {
  templates = mkdtempSync(join(tmpdir(), 'cordial-windows-'));
  for (let i = 0; i < TERMINALS; i++) recordBacklog(join(templates, String(i)), RECORDS, { windowNo: String(i + 1) });
}, 120_000);
afterAll(() => rmSync(templates, { recursive: true, force: true }));

function copyOfWindow(i: number, into: string): Terminal {
  const dataDir = join(into, String(i));
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(join(templates, String(i), DATABASE_FILE), join(dataDir, DATABASE_FILE));
  return openTerminal({ dataDir, windowNo: String(i + 1), clock: new ManualClock(MORNING + 30 * 86_400_000) });
}

describe.each(BACKENDS)('syncing over a faulty network to %s', (backend) => {
  let database: TestDatabase;
  let centre: TestCentre;
  let proxy: FaultProxy;
  let copies: string;
  const terminals: Terminal[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    centre = await startCentre(database.db, { rateLimit: { perSecond: 50, burst: 100 } });
    const random = seededRandom(backend === 'postgres' ? 20260302 : 20260303);
    // About half the connections misbehave, each fault as likely as the others.
    const pick = (): Fault => (random() < 0.5 ? 'none' : FAULTS[1 + Math.floor(random() * (FAULTS.length - 1))]!);
    const { port } = new URL(centre.url);
    proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(port) }, pick);
    copies = mkdtempSync(join(tmpdir(), `cordial-${backend}-windows-`));
  });
  afterAll(async () => {
    for (const t of terminals) t.kiosk.close();
    await proxy?.close();
    await centre?.close();
    await database?.close();
    rmSync(copies, { recursive: true, force: true });
  });

  it(`carries ${TERMINALS} × ${RECORDS} records exactly once`, { timeout: 240_000 }, async () => {
    for (let i = 0; i < TERMINALS; i++) terminals.push(copyOfWindow(i, copies));
    const clients = await Promise.all(terminals.map((t, i) => enrolledClient(t, centre, { centreUrl: proxy.url, batchSize: 250 + i * 25, random: seededRandom(i + 1) })));

    // A run may give up after many failures in a row; the next run resumes where it stopped.
    const results = await Promise.all(
      clients.map(async ({ client }) => {
        let runs = 0;
        for (;;) {
          runs += 1;
          const result = await client.syncNow();
          if ((result.ok && result.pending === 0) || runs >= 10) return { ...result, runs };
        }
      }),
    );
    expect(results.map((r) => [r.ok, r.pending])).toEqual(terminals.map(() => [true, 0]));

    const perTerminal = await database.db.query<{ terminal_id: string; n: number; distinct_seq: number; max_seq: number }>(
      'SELECT terminal_id, count(*)::integer AS n, count(DISTINCT seq)::integer AS distinct_seq, max(seq) AS max_seq FROM records GROUP BY terminal_id',
    );
    expect(perTerminal).toHaveLength(TERMINALS);
    for (const row of perTerminal) expect(row).toMatchObject({ n: RECORDS, distinct_seq: RECORDS, max_seq: RECORDS });
    const marks = await database.db.query<{ epoch: number; high_water: number }>('SELECT epoch, high_water FROM terminal_epochs');
    expect(marks).toEqual(terminals.map(() => ({ epoch: 1, high_water: RECORDS })));

    for (const t of terminals) {
      const held = await database.db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM records WHERE terminal_id = $1 ORDER BY seq', [t.kiosk.terminal.terminalId]);
      const local = localRecords(t);
      expect(held.map((r) => r.hash)).toEqual(local.map((r) => r.hash));
      expect(local.every((r) => r.acked_at !== null)).toBe(true);
    }
    expect(await database.db.query('SELECT kind FROM integrity_alerts')).toEqual([]);
    // The proof only counts if the network really misbehaved, in every way.
    for (const fault of FAULTS) expect(proxy.counts[fault], fault).toBeGreaterThan(0);
  });
});
