/**
 * Migration 0005 on a database written by an earlier Cordial, which stored each keypad resend
 * as a misuse press ('repeat_event') with its own outbox record, one of them linked to the
 * next case. After the migration those rows leave the export and the figures, the keypad's
 * resend count holds them, and the hash chain still verifies: nothing chained was rewritten.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import { exportCasesCsv } from '../../src/core/export/cases-csv';
import type { CaseInfo, Fact } from '../../src/core/lifecycle/types';
import { Outbox } from '../../src/core/outbox/outbox';
import { DATABASE_FILE } from '../../src/core/paths';
import { loadDemoSeed } from '../../src/core/seed';
import { openDatabase } from '../../src/core/store/database';
import { Directory } from '../../src/core/store/directory';
import { FactWriter } from '../../src/core/store/facts';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/core/store/migrations';
import { ensureTerminal } from '../../src/core/store/terminal';
import { MORNING, afterAck, key, openTestKiosk } from '../support/kiosk';
import { tempDir } from '../support/tmp';

const SERIAL = 'CRK5-000123';
const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** The migrations an earlier Cordial shipped: up to 0004. */
function migrationsBefore0005(): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  for (const f of readdirSync(DEFAULT_MIGRATIONS_DIR)) if (Number(f.slice(0, 4)) <= 4) copyFileSync(join(DEFAULT_MIGRATIONS_DIR, f), join(dir, f));
  return dir;
}

const kase = (id: string, at: number): CaseInfo => ({
  id, caseNo: null, ticketNo: null, itemCode: '340104-SJ-001', itemVersion: '1', itemName: '事项', departmentCode: null, departmentName: null, openedAt: at,
});
const staff = { staffNo: '1001', staffName: '王晓梅', sessionId: 's1' };
const misuse = (at: number, pressId: string, cause: 'repeat_event' | 'second_press', eventId: number, caseId: string | null): Fact => ({
  kind: 'misuse', at, pressId, cause, level: 'satisfied', rawKey: 2, channel: 'keypad', deviceSerial: SERIAL, eventId, caseId,
});

/** A data folder as the earlier Cordial left it: one rated case, its resends kept as misuse, one real second press, a second case open. */
function oldDataFolder(): string {
  const dataDir = tempDir();
  const { db } = openDatabase(join(dataDir, DATABASE_FILE), { migrationsDir: migrationsBefore0005() });
  loadDemoSeed(new Directory(db));
  const terminal = ensureTerminal(db, defaultConfig().window, MORNING);
  const writer = new FactWriter(db, new Outbox(db, terminal.terminalId), () => terminal);
  const t = (s: number) => MORNING + s * 1000;
  const facts: Fact[] = [
    { kind: 'session_started', at: t(0), sessionId: staff.sessionId, staffNo: staff.staffNo, staffName: staff.staffName, method: 'badge' },
    { kind: 'case_opened', at: t(1), case: kase('c1', t(1)), ...staff },
    { kind: 'case_closed', at: t(5), caseId: 'c1', outcome: 'completed', missingMaterials: [], afterHours: false, ratingDeadline: t(20) },
    {
      kind: 'rating', at: t(6), ratingId: 'r1', case: kase('c1', t(1)), staffNo: staff.staffNo, staffName: staff.staffName, level: 'satisfied', rawKey: 2,
      channel: 'keypad', deviceSerial: SERIAL, eventId: 7, invitedAt: t(5),
    },
    misuse(t(6.3), 'm1', 'repeat_event', 7, 'c1'),
    misuse(t(7), 'm2', 'second_press', 8, 'c1'),
    { kind: 'case_opened', at: t(30), case: kase('c2', t(30)), ...staff },
    // The copy that arrived while the next case was served was linked to it.
    misuse(t(30.6), 'm3', 'repeat_event', 7, 'c2'),
  ];
  db.transaction(() => facts.forEach((f) => writer.write(f)))();
  db.close();
  return dataDir;
}

describe('migration 0005: keypad resends kept as misuse by an earlier version', () => {
  it('leave the export and the figures, are counted as resends, and the chain still verifies', async () => {
    const dataDir = oldDataFolder();
    const { kiosk, clock } = openTestKiosk({ dataDir });
    closers.push(() => kiosk.close());
    const outbox = () => kiosk.db.prepare('SELECT seq, kind, payload, hash FROM outbox ORDER BY seq').all();
    const chained = outbox();

    expect(kiosk.verify()).toMatchObject({ ok: true, records: 8 });
    // Kept where they were: the misuse rows and their outbox records are not deleted or rewritten.
    expect(kiosk.db.prepare('SELECT id FROM misuse_presses ORDER BY id').pluck().all()).toEqual(['m1', 'm2', 'm3']);
    expect(kiosk.keypadRepeats()).toEqual({ [SERIAL]: 2 });
    expect(kiosk.today()).toMatchObject({ misusePresses: 1 });

    const file = join(tempDir(), 'cases.csv');
    expect(await exportCasesCsv(kiosk.db, file, { utcOffsetMinutes: 480, direction: 'national' })).toEqual({ cases: 2, misuse: 1 });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.filter((l) => l.includes('repeat_event'))).toEqual([]);
    expect(lines.filter((l) => l.includes('second_press'))).toHaveLength(1);
    rmSync(file);

    // The keypad sends event 7 once more: acknowledged, counted as a resend, nothing recorded.
    expect(kiosk.recordPress(key(2, 7, clock.now()))).toMatchObject({ outcome: 'repeat', repeat: true });
    await afterAck();
    expect(outbox()).toEqual(chained);
    expect(kiosk.keypadRepeats()).toEqual({ [SERIAL]: 3 });
    expect(kiosk.verify()).toMatchObject({ ok: true, records: 8 });
  });

  it('keeps the resend count across a restart', async () => {
    const dataDir = oldDataFolder();
    const first = openTestKiosk({ dataDir });
    first.kiosk.recordPress(key(2, 7, first.clock.now()));
    await afterAck();
    first.kiosk.close();
    const second = openTestKiosk({ dataDir, clock: first.clock });
    closers.push(() => second.kiosk.close());
    expect(second.kiosk.keypadRepeats()).toEqual({ [SERIAL]: 3 });
  });
});
