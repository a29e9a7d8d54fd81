/**
 * Migration 0008 rebuilds the window's cases table so a case may end as a complaint (投诉).
 * On a data folder an earlier Cordial left — a rated case, an unrated 一次告知 and a case still
 * open — every case and rating is kept as it was, the chain still verifies, the open case
 * can be finished as a complaint, and the links from ratings to cases still hold.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config';
import type { CaseInfo, Fact } from '../../src/core/lifecycle/types';
import { Outbox } from '../../src/core/outbox/outbox';
import { DATABASE_FILE } from '../../src/core/paths';
import { loadDemoSeed } from '../../src/core/seed';
import { openDatabase } from '../../src/core/store/database';
import { Directory } from '../../src/core/store/directory';
import { FactWriter } from '../../src/core/store/facts';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/core/store/migrations';
import { ensureTerminal } from '../../src/core/store/terminal';
import { MORNING, openTestKiosk } from '../support/kiosk';
import { tempDir } from '../support/tmp';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

function migrationsBefore0008(): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  for (const f of readdirSync(DEFAULT_MIGRATIONS_DIR)) if (Number(f.slice(0, 4)) <= 7) copyFileSync(join(DEFAULT_MIGRATIONS_DIR, f), join(dir, f));
  return dir;
}

const kase = (id: string, at: number): CaseInfo => ({
  id, caseNo: `BJ-${id}`, ticketNo: null, itemCode: '340104-SJ-001', itemVersion: '1', itemName: '事项', departmentCode: null, departmentName: null, openedAt: at,
});
const staff = { staffNo: '1001', staffName: '王晓梅', sessionId: 's1' };

function oldDataFolder(): string {
  const dataDir = tempDir();
  const { db } = openDatabase(join(dataDir, DATABASE_FILE), { migrationsDir: migrationsBefore0008() });
  loadDemoSeed(new Directory(db));
  const terminal = ensureTerminal(db, defaultConfig().window, MORNING);
  const writer = new FactWriter(db, new Outbox(db, terminal.terminalId), () => terminal);
  const t = (s: number) => MORNING + s * 1000;
  const facts: Fact[] = [
    { kind: 'session_started', at: t(0), sessionId: staff.sessionId, staffNo: staff.staffNo, staffName: staff.staffName, method: 'badge' },
    { kind: 'case_opened', at: t(1), case: kase('c1', t(1)), ...staff },
    { kind: 'case_closed', at: t(5), caseId: 'c1', outcome: 'completed', missingMaterials: [], afterHours: false, ratingDeadline: t(20) },
    { kind: 'rating', at: t(6), ratingId: 'r1', case: kase('c1', t(1)), staffNo: staff.staffNo, staffName: staff.staffName, level: 'satisfied', rawKey: 2, channel: 'keypad', deviceSerial: 'CRK5-1', eventId: 7, invitedAt: t(5) },
    { kind: 'case_opened', at: t(30), case: kase('c2', t(30)), ...staff },
    { kind: 'case_closed', at: t(40), caseId: 'c2', outcome: 'notified_missing', missingMaterials: ['营业执照副本'], afterHours: false, ratingDeadline: t(55) },
    { kind: 'case_unrated', at: t(55), caseId: 'c2', invitedAt: t(40), deadline: t(55) },
  ];
  db.transaction(() => facts.forEach((f) => writer.write(f)))();
  db.close();
  return dataDir;
}

describe('migration 0008: the complaint outcome', () => {
  it('keeps every case and rating, and lets the next case end as a complaint', () => {
    const dataDir = oldDataFolder();
    const { kiosk, clock } = openTestKiosk({ dataDir });
    closers.push(() => kiosk.close());
    expect(kiosk.db.prepare('SELECT id, case_no, outcome, missing_materials, status, rating_level FROM cases ORDER BY opened_at').all()).toEqual([
      { id: 'c1', case_no: 'BJ-c1', outcome: 'completed', missing_materials: '[]', status: 'rated', rating_level: 'satisfied' },
      { id: 'c2', case_no: 'BJ-c2', outcome: 'notified_missing', missing_materials: '["营业执照副本"]', status: 'unrated', rating_level: null },
    ]);
    expect(kiosk.db.prepare('SELECT id, case_id FROM ratings').all()).toEqual([{ id: 'r1', case_id: 'c1' }]);
    expect(kiosk.db.pragma('foreign_key_check')).toEqual([]);
    expect(kiosk.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' AND sql IS NOT NULL ORDER BY name").pluck().all()).toEqual([
      'cases_opened_at', 'cases_staff_opened_at', 'cases_unfinished',
    ]);
    expect(kiosk.verify()).toMatchObject({ ok: true });

    // The staff member's session carries on after the restart, past the thanks screen.
    clock.advance(60_000);
    expect(kiosk.snapshot()).toMatchObject({ phase: 'idle', staff: { staffNo: '1001' } });
    expect(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff')).toMatchObject({ ok: true });
    expect(kiosk.execute({ type: 'finishCase', outcome: 'complaint', complaintSummary: '材料被退回三次' }, 'staff')).toMatchObject({ ok: true });
    expect(kiosk.db.prepare("SELECT count(*) FROM cases WHERE outcome = 'complaint'").pluck().get()).toBe(1);
    // A rating still cannot point at a case that does not exist.
    expect(() => kiosk.db.prepare("INSERT INTO ratings (id, case_id, level, channel, invited_at, rated_at) VALUES ('rx', 'nope', 'satisfied', 'touch', 0, 0)").run()).toThrow(/FOREIGN KEY/);
  });
});
