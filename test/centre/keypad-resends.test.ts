/**
 * Keypad resends that earlier kiosks uploaded as misuse records (cause 'repeat_event') are
 * link noise: the centre keeps the records as received, but its figures and its ratings CSV
 * leave them out. A real misuse press from the same kiosk still counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../src/core/lifecycle/types';
import { Outbox, headMoved } from '../../src/core/outbox/outbox';
import { FactWriter } from '../../src/core/store/facts';
import { systemClock } from '../../src/core/time';
import { key } from '../support/kiosk';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../sync/support/backends';
import { startCentre, type TestCentre } from '../sync/support/centre';
import { enrolledClient } from '../sync/support/sync';
import { openTerminal, type Terminal } from '../sync/support/terminal';

const CENTRE_NOW = Date.UTC(2026, 2, 10, 4, 0);

/** What an earlier kiosk wrote for a resend of event `eventId`: a misuse fact with its outbox record, chained. */
function legacyResend(t: Terminal, eventId: number, caseId: string | null): void {
  const db = t.kiosk.db;
  const terminal = { terminalId: t.kiosk.terminal.terminalId, windowNo: t.kiosk.terminal.windowNo, areaCode: t.kiosk.terminal.areaCode };
  const writer = new FactWriter(db, new Outbox(db, terminal.terminalId), () => terminal);
  const fact: Fact = {
    kind: 'misuse', at: t.clock.now(), pressId: `legacy-${eventId}-${t.clock.now()}`, cause: 'repeat_event', level: 'satisfied', rawKey: 2,
    channel: 'keypad', deviceSerial: 'CRK5-000123', eventId, caseId,
  };
  db.transaction(() => writer.write(fact))();
  // The kiosk's own outbox must read the head this wrote.
  headMoved(db);
}

describe.each(BACKENDS)('keypad resends at the centre on %s', (backend) => {
  let database: TestDatabase;
  let centre: TestCentre;
  let t: Terminal;
  let readerToken: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    centre = await startCentre(database.db, { now: () => CENTRE_NOW });
    t = openTerminal();
    const { kiosk, clock } = t;
    const must = (command: Record<string, unknown>) => expect(kiosk.execute(command, 'staff')).toMatchObject({ ok: true });
    must({ type: 'signInBadge', badgeId: 'BADGE-1001' });
    must({ type: 'openCase', itemCode: '340104-SJ-001' });
    const first = kiosk.snapshot().case!.id;
    must({ type: 'finishCase', outcome: 'completed' });
    kiosk.recordPress(key(2, 7, clock.now()));
    kiosk.flushPresses();
    clock.advance(300);
    legacyResend(t, 7, first);
    clock.advance(10_000);
    must({ type: 'openCase', itemCode: '340104-SJ-001' });
    const second = kiosk.snapshot().case!.id;
    // The copy that arrived while the next case was served, linked to it, as the issue saw.
    legacyResend(t, 7, second);
    // A real stray press while that case is served: misuse that counts.
    kiosk.recordPress(key(4, 8, clock.now()));
    kiosk.flushPresses();
    // And today's kiosk: a resend records nothing.
    expect(kiosk.recordPress(key(4, 8, clock.now()))).toMatchObject({ outcome: 'repeat' });
    clock.advance(60_000);
    must({ type: 'finishCase', outcome: 'completed' });
    clock.advance(20_000);
    kiosk.execute({ type: 'signOut' }, 'staff');
    expect(kiosk.verify()).toMatchObject({ ok: true });

    const { client } = await enrolledClient(t, centre, { clock: { now: () => CENTRE_NOW, setTimer: systemClock.setTimer } });
    const synced = await client.syncNow();
    if (!synced.ok) throw new Error(synced.error.message);
    await centre.centre.projector.run();
    readerToken = String((await centre.call('POST', '/v1/admin/api-tokens', { body: { name: 'quality office', roles: ['reports'] } })).body.token);
  }, 120_000);
  afterAll(async () => {
    t?.kiosk.close();
    await centre?.close();
    await database?.close();
  });

  it('keeps the resend records as received, with a verified chain', async () => {
    const kinds = await database.db.query<{ cause: string }>("SELECT payload->>'cause' AS cause FROM records WHERE kind = 'misuse' ORDER BY seq");
    expect(kinds.map((r) => r.cause)).toEqual(['repeat_event', 'repeat_event', 'no_case_waiting']);
  });

  it('leaves them out of the ratings CSV: one misuse row, the real press', async () => {
    const text = (await centre.call('GET', '/v1/reports/ratings.csv?codes=national', { token: readerToken })).text.replace(/^\uFEFF/, '').trim();
    const rows = text.split('\r\n').map((l) => l.split(','));
    const header = rows[0]!;
    const misuse = rows.slice(1).filter((r) => r[header.indexOf('invalidFlag')] === '1');
    expect(misuse).toHaveLength(1);
    expect(text).not.toContain('repeat_event');
    expect(misuse[0]![header.indexOf('eventId')]).toBe('8');
    expect(misuse[0]![header.indexOf('evaluateStatus')]).toBe('misuse:no_case_waiting');
  });

  it('leaves them out of the figures: one misuse press for the department and the day', async () => {
    const rows = await database.db.query<{ misuse: number }>("SELECT misuse FROM figures WHERE dimension = 'department' AND grain = 'day'");
    expect(rows.reduce((n, r) => n + Number(r.misuse), 0)).toBe(1);
  });
});
