import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterAck, openTestKiosk, key } from '../support/kiosk';
import type { KeypadCommand } from '../../src/shared/keypad';
import type { CommandResult } from '../../src/shared/contract';

function ok(r: CommandResult): Extract<CommandResult, { ok: true }> {
  if (!r.ok) throw new Error(`command refused: ${JSON.stringify(r)}`);
  return r;
}

describe('kiosk core over a real SQLite file', () => {
  it('runs a case from sign-in to a keypad rating and stores every field a report needs', async () => {
    const { kiosk, clock } = openTestKiosk({ config: { window: { windowNo: '12', departmentCode: null, departmentName: '综合窗口', areaCode: '340104' } } });
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    const opened = ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001', caseNo: 'BJ2026-0001', ticketNo: 'A012' }, 'staff'));
    expect(opened.snapshot.phase).toBe('serving');
    expect(opened.snapshot.staff).toMatchObject({ name: '王晓梅', staffNo: '1001' });
    clock.advance(60_000);
    ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    expect(kiosk.snapshot().phase).toBe('awaiting_rating');
    clock.advance(3000);
    const receipt = kiosk.recordPress(key(2, 42, clock.now()));
    expect(receipt).toMatchObject({ outcome: 'rating', repeat: false });
    await afterAck();
    expect(kiosk.snapshot()).toMatchObject({ phase: 'thanks', phrase: 'thanks', lastRating: { level: 'satisfied', poor: false } });

    const row = kiosk.db
      .prepare(`SELECT c.case_no, c.item_code, c.item_version, c.item_name, c.department_name, c.window_no, c.ticket_no, c.staff_no,
          c.status, r.level, r.channel, r.device_serial, r.device_event_id, r.raw_key FROM cases c JOIN ratings r ON r.case_id = c.id`)
      .get();
    expect(row).toEqual({
      case_no: 'BJ2026-0001',
      item_code: '340104-SJ-001',
      item_version: '2',
      item_name: '个体工商户设立登记',
      department_name: '市场监督管理局',
      window_no: '12',
      ticket_no: 'A012',
      staff_no: '1001',
      status: 'rated',
      level: 'satisfied',
      channel: 'keypad',
      device_serial: 'CRK5-000123',
      device_event_id: 42,
      raw_key: 2,
    });
    const outbox = kiosk.db.prepare('SELECT kind, payload FROM outbox ORDER BY seq').all() as { kind: string; payload: string }[];
    expect(outbox.map((o) => o.kind)).toEqual(['session_started', 'case_opened', 'case_closed', 'rating']);
    expect(JSON.parse(outbox[3]!.payload)).toMatchObject({ areaCode: '340104', windowNo: '12', caseNo: 'BJ2026-0001', level: 'satisfied', ratingType: 'first', eventId: 42 });
    expect(kiosk.verify()).toMatchObject({ ok: true, records: 4 });
    kiosk.close();
  });

  it('counts a device event once, even when the keypad sends it again', async () => {
    const { kiosk, clock } = openTestKiosk();
    ok(kiosk.execute({ type: 'signInPin', staffNo: '1002', pin: '135790' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-RS-001' }, 'staff'));
    ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    const first = kiosk.recordPress(key(1, 7, clock.now()));
    const again = kiosk.recordPress(key(1, 7, clock.now() + 300));
    expect(first.outcome).toBe('rating');
    expect(again).toMatchObject({ outcome: 'repeat', cause: null, repeat: true });
    await afterAck();
    // A retransmission is not a citizen pressing twice: no misuse row, no outbox record, only the keypad's resend count.
    expect(kiosk.db.prepare('SELECT count(*) FROM misuse_presses').pluck().get()).toBe(0);
    expect(kiosk.db.prepare('SELECT kind FROM outbox ORDER BY seq').pluck().all()).toEqual(['session_started', 'case_opened', 'case_closed', 'rating']);
    expect(kiosk.keypadRepeats()).toEqual({ 'CRK5-000123': 1 });
    expect(kiosk.today()).toMatchObject({ cases: 1, rated: 1, misusePresses: 0 });
    kiosk.recordPress(key(2, 8, clock.now() + 600));
    await afterAck();
    expect(kiosk.today()).toMatchObject({ rated: 1, misusePresses: 1 });
    kiosk.close();
  });

  it('keeps presses with no case waiting as misuse, never as ratings', async () => {
    const { kiosk, clock } = openTestKiosk();
    expect(kiosk.recordPress(key(1, 1, clock.now())).outcome).toBe('misuse');
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1003' }, 'staff'));
    expect(kiosk.recordPress(key(1, 2, clock.now())).outcome).toBe('misuse');
    ok(kiosk.execute({ type: 'pause', reason: '午休' }, 'staff'));
    expect(kiosk.recordPress(key(5, 3, clock.now())).outcome).toBe('misuse');
    await afterAck();
    expect(kiosk.db.prepare('SELECT cause FROM misuse_presses ORDER BY pressed_at, rowid').pluck().all()).toEqual(['window_closed', 'no_case_waiting', 'window_paused']);
    expect(kiosk.db.prepare('SELECT count(*) FROM ratings').pluck().get()).toBe(0);
    kiosk.close();
  });

  it('records an unrated case when the citizen does not press in time', () => {
    const { kiosk, clock } = openTestKiosk();
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-002' }, 'staff'));
    ok(kiosk.execute({ type: 'finishCase', outcome: 'notified_missing', missingMaterials: ['营业执照副本', '法人身份证复印件'] }, 'staff'));
    clock.advance(15_000);
    expect(kiosk.snapshot().phase).toBe('idle');
    expect(kiosk.db.prepare('SELECT status, outcome, missing_materials FROM cases').get()).toEqual({
      status: 'unrated',
      outcome: 'notified_missing',
      missing_materials: '["营业执照副本","法人身份证复印件"]',
    });
    expect(kiosk.today()).toMatchObject({ cases: 1, rated: 0, unrated: 1, satisfaction: null });
    kiosk.close();
  });

  it('takes reasons and a callback number after a poor rating, and keeps the number out of snapshots', async () => {
    const { kiosk, clock } = openTestKiosk();
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-003' }, 'staff'));
    ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    kiosk.recordPress(key(5, 99, clock.now()));
    await afterAck();
    const rating = kiosk.snapshot().lastRating!;
    expect(rating).toMatchObject({ level: 'very_dissatisfied', poor: true });
    const details = { type: 'addRatingDetails', ratingId: rating.id, reasonCodes: ['R02', 'R06'], callbackPhone: '138 1234 5678', callbackConsent: true };
    expect(kiosk.execute({ ...details, reasonCodes: ['NOPE'] }, 'citizen')).toMatchObject({ ok: false, error: { message: 'reason code NOPE is not in the list' } });
    expect(kiosk.execute({ ...details, callbackPhone: '12345' }, 'citizen')).toMatchObject({ ok: false, error: { message: 'the callback number is not a valid phone number' } });
    const done = ok(kiosk.execute(details, 'citizen'));
    expect(JSON.stringify(done.snapshot)).not.toContain('13812345678');
    expect(kiosk.db.prepare('SELECT reason_codes, callback_phone FROM ratings').get()).toEqual({ reason_codes: '["R02","R06"]', callback_phone: '13812345678' });
    expect(kiosk.today()).toMatchObject({ poor: 1, satisfaction: 0 });
    kiosk.close();
  });

  it('lets the citizen rate by touch, recorded with its own channel', () => {
    const { kiosk } = openTestKiosk();
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    ok(kiosk.execute({ type: 'rateByTouch', level: 'very_satisfied' }, 'citizen'));
    expect(kiosk.db.prepare('SELECT channel, level FROM ratings').get()).toEqual({ channel: 'touch', level: 'very_satisfied' });
    kiosk.close();
  });

  it('never lets staff rate, nor the citizen screen run the window', () => {
    const { kiosk } = openTestKiosk();
    expect(kiosk.execute({ type: 'rateByTouch', level: 'very_satisfied' }, 'staff')).toMatchObject({ ok: false, error: { message: 'staff cannot enter or change a rating' } });
    expect(kiosk.execute({ type: 'rateByTouch', level: 'very_satisfied' }, 'cli')).toMatchObject({ ok: false });
    expect(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'citizen')).toMatchObject({ ok: false, error: { message: 'the citizen screen cannot run the window' } });
    kiosk.close();
  });

  it('refuses unknown badges, wrong PINs and unknown items with sentences, and locks out PIN guessing', () => {
    const { kiosk } = openTestKiosk();
    expect(kiosk.execute({ type: 'signInBadge', badgeId: 'STOLEN' }, 'staff')).toMatchObject({ ok: false, error: { code: 'unknown_staff' } });
    for (let i = 0; i < 5; i++) expect(kiosk.execute({ type: 'signInPin', staffNo: '1001', pin: '000000' }, 'staff')).toMatchObject({ ok: false, error: { message: 'wrong PIN' } });
    expect(kiosk.execute({ type: 'signInPin', staffNo: '1001', pin: '246810' }, 'staff')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/too many wrong PINs/) } });
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    expect(kiosk.execute({ type: 'openCase', itemCode: 'NO-SUCH' }, 'staff')).toMatchObject({ ok: false, error: { code: 'unknown_item' } });
    kiosk.close();
  });

  it('flags cases finished after closing time as extended service (10.5)', () => {
    const { kiosk, clock } = openTestKiosk({ config: { closingTime: '17:30' } });
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    clock.advance(20_000);
    clock.advance(8.5 * 3600_000); // 17:30:20 local
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    expect(kiosk.db.prepare('SELECT after_hours FROM cases ORDER BY opened_at').pluck().all()).toEqual([0, 1]);
    kiosk.close();
  });

  it('drives the keypad: rating mode and prompt when a case finishes, 暂停服务 when paused', () => {
    const { kiosk } = openTestKiosk();
    const sent: KeypadCommand[] = [];
    kiosk.onKeypadCommand((c) => sent.push(c));
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    expect(sent.slice(-3)).toEqual([{ kind: 'mode', mode: 'rating' }, { kind: 'text', line: 0, text: '请对本次服务进行评价' }, { kind: 'prompt', phrase: 'please_rate' }]);
    expect(kiosk.keypadView()).toEqual({ mode: 'rating', text: '请对本次服务进行评价' });
    kiosk.close();
  });

  it('gives the staff member’s satisfaction this month on the badge', () => {
    const { kiosk, clock } = openTestKiosk();
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    expect(kiosk.snapshot().staff?.monthSatisfaction).toBeNull();
    for (const [i, k] of [1, 2, 4, 1].entries()) {
      ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
      ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
      kiosk.recordPress(key(k, 100 + i, clock.now()));
      clock.advance(61_000);
    }
    expect(kiosk.snapshot().staff?.monthSatisfaction).toBe(0.75);
    expect(kiosk.today()).toMatchObject({ cases: 4, rated: 4, poor: 1, satisfaction: 0.75 });
    kiosk.close();
  });

  it('restores the window after a restart: an open case stays open, an expired rating window becomes unrated', () => {
    const first = openTestKiosk();
    const { clock, dataDir } = first;
    ok(first.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(first.kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001', ticketNo: 'B7' }, 'staff'));
    first.kiosk.close();

    const second = openTestKiosk({ dataDir, clock });
    expect(second.kiosk.snapshot()).toMatchObject({ phase: 'serving', case: { ticketNo: 'B7' }, staff: { staffNo: '1001' } });
    ok(second.kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    second.kiosk.close();

    clock.advance(5000);
    const third = openTestKiosk({ dataDir, clock });
    expect(third.kiosk.snapshot()).toMatchObject({ phase: 'awaiting_rating', rating: { deadline: clock.now() + 10_000 } });
    expect(third.kiosk.recordPress(key(3, 5, clock.now())).outcome).toBe('rating');
    ok(third.kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    ok(third.kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    third.kiosk.close();

    clock.advance(60_000);
    const fourth = openTestKiosk({ dataDir, clock });
    expect(fourth.kiosk.snapshot().phase).toBe('idle');
    expect(fourth.kiosk.db.prepare('SELECT status FROM cases ORDER BY opened_at').pluck().all()).toEqual(['rated', 'unrated']);
    expect(fourth.kiosk.verify()).toMatchObject({ ok: true });
    fourth.kiosk.close();
  });

  it('refuses a second process on the same data folder', () => {
    const { kiosk, dataDir } = openTestKiosk();
    // The lock holder is this very process, so simulate another live owner.
    writeFileSync(join(dataDir, 'cordial.lock'), JSON.stringify({ pid: process.ppid, owner: 'Cordial (browser shell)' }));
    expect(() => openTestKiosk({ dataDir })).toThrow(/Cordial is already running .*browser shell/);
    kiosk.close();
  });

  it('tells the screens which key gives each level, following the key map and the keypad’s key count', async () => {
    const standard = openTestKiosk();
    expect(standard.kiosk.snapshot().display).toEqual({
      language: 'zh',
      keys: { very_satisfied: 1, satisfied: 2, basically_satisfied: 3, dissatisfied: 4, very_dissatisfied: 5 },
    });
    standard.kiosk.setKeypadStatus({ link: 'online', serial: 'CRK4-1', detail: null, keys: 4 });
    expect(standard.kiosk.snapshot().display.keys).toEqual({ very_satisfied: 1, satisfied: 2, basically_satisfied: 3, dissatisfied: 4 });
    standard.kiosk.close();

    // Wired the other way round at this centre: key 1 is 非常不满意.
    const rewired = openTestKiosk({
      config: { language: 'en', keyMap: { '1': 'very_dissatisfied', '2': 'dissatisfied', '3': 'basically_satisfied', '4': 'satisfied', '5': 'very_satisfied' } },
    });
    expect(rewired.kiosk.snapshot().display).toEqual({
      language: 'en',
      keys: { very_dissatisfied: 1, dissatisfied: 2, basically_satisfied: 3, satisfied: 4, very_satisfied: 5 },
    });
    const events: unknown[] = [];
    rewired.kiosk.subscribe((e) => events.push(e));
    rewired.kiosk.recordPress(key(1, 1, rewired.clock.now()));
    await afterAck();
    expect(events).toContainEqual(expect.objectContaining({ type: 'press', outcome: 'misuse', cause: 'window_closed', rawKey: 1, level: 'very_dissatisfied' }));
    rewired.kiosk.close();
  });

  it('brings back a poor rating’s reasons after a restart, while its details window lasts', async () => {
    const first = openTestKiosk();
    const { clock, dataDir } = first;
    ok(first.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(first.kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    ok(first.kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
    first.kiosk.recordPress(key(4, 1, clock.now()));
    await afterAck();
    const ratingId = first.kiosk.snapshot().lastRating!.id;
    first.kiosk.close();

    clock.advance(10_000);
    const second = openTestKiosk({ dataDir, clock });
    expect(second.kiosk.snapshot()).toMatchObject({ phase: 'thanks', lastRating: { id: ratingId, poor: true } });
    ok(second.kiosk.execute({ type: 'addRatingDetails', ratingId, reasonCodes: ['R02'] }, 'citizen'));
    second.kiosk.close();

    // The reasons are in: after a restart the thanks screen has no chips, and ends as it would have.
    const third = openTestKiosk({ dataDir, clock });
    expect(third.kiosk.snapshot()).toMatchObject({ phase: 'thanks', lastRating: { id: ratingId, detailsUntil: null } });
    clock.advance(third.kiosk.config.rating.thanksSeconds * 1000);
    expect(third.kiosk.snapshot().phase).toBe('idle');
    third.kiosk.close();
  });
});
