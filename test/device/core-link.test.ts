import { afterEach, describe, expect, it } from 'vitest';
import { PAUSED_TEXT } from '../../src/core/lifecycle/machine';
import { PHRASES } from '../../src/shared/phrases';
import { caseAwaitingRating, kioskWithKeypad, pressRecords, staff, waitKeypadOnline, BADGE, ITEM, type KioskWithKeypad } from './support/kiosk-on-pty';
import { waitFor } from './support/wait-for';

let rig: KioskWithKeypad | null = null;
afterEach(async () => {
  const current = rig;
  rig = null;
  await current?.dispose();
});

function eventIdOf(result: { eventId: number } | { dropped: true }): number {
  if (!('eventId' in result)) throw new Error('the keypad dropped the press: its queue is full');
  return result.eventId;
}

describe('the real core and a CRK/1 keypad on a real serial line', () => {
  it('a full case: sign in, open, finish, one press → one rating row with level, channel, serial and event id, and the keypad thanks', async () => {
    rig = await kioskWithKeypad({ identity: { serial: 'CRK5-100001' } });
    const { kiosk, keypad } = rig;
    await waitKeypadOnline(kiosk);
    await waitFor(() => keypad.display.mode === 'closed' && keypad.display.lines[0] === PAUSED_TEXT, { what: 'keypad closed while nobody is signed in' });

    staff(kiosk, { type: 'signInBadge', badgeId: BADGE });
    await waitFor(() => keypad.display.mode === 'idle', { what: 'keypad idle once staff sign in' });
    staff(kiosk, { type: 'openCase', itemCode: ITEM });
    const caseId = kiosk.snapshot().case?.id;
    await waitFor(() => keypad.display.mode === 'serving', { what: 'keypad serving' });
    staff(kiosk, { type: 'finishCase', outcome: 'completed' });
    await waitFor(() => keypad.display.mode === 'rating' && keypad.display.prompts.includes(PHRASES.please_rate.id), { what: 'the keypad invites a rating' });

    const eventId = eventIdOf(keypad.press(2));
    await waitFor(() => keypad.waiting === 0, { what: 'the press acknowledged' });
    await waitFor(() => keypad.display.mode === 'thanks' && keypad.display.lines[0] === '感谢您的评价' && keypad.display.prompts.includes(PHRASES.thanks.id), {
      what: 'the keypad thanks the citizen',
    });

    const records = pressRecords(kiosk.db);
    expect(records.ratings).toEqual([
      { id: expect.any(String), case_id: caseId, level: 'satisfied', raw_key: 2, channel: 'keypad', device_serial: 'CRK5-100001', device_event_id: eventId },
    ]);
    expect(records.misuse).toEqual([]);
    expect(records.deviceEvents).toEqual([{ device_serial: 'CRK5-100001', event_id: eventId, press_id: records.ratings[0]?.id }]);
    expect(kiosk.db.prepare('SELECT status, rating_level FROM cases').all()).toEqual([{ status: 'rated', rating_level: 'satisfied' }]);
    expect(kiosk.today()).toMatchObject({ cases: 1, rated: 1, unrated: 0, misusePresses: 0, satisfaction: 1 });
    expect(kiosk.verify()).toMatchObject({ ok: true });

    // After the thanks the window is free again, and the keypad says so.
    await waitFor(() => keypad.display.mode === 'idle', { what: 'keypad idle after the thanks' });
    expect(kiosk.snapshot().phase).toBe('idle');
  });

  it('a press sent 6 times (5 ACKs lost) is one rating; the other deliveries are counted as resends only: no misuse row, no outbox record', async () => {
    rig = await kioskWithKeypad({ identity: { serial: 'CRK5-100002' } });
    const { kiosk, keypad, link } = rig;
    await waitKeypadOnline(kiosk);
    const caseId = caseAwaitingRating(kiosk);
    await waitFor(() => keypad.display.mode === 'rating', { what: 'the keypad invites a rating' });

    keypad.withheldAcksPerPress = 5;
    const rated = eventIdOf(keypad.press(1));
    await waitFor(() => keypad.waiting === 0, { timeoutMs: 20_000, what: 'the press finally acknowledged' });
    const ratedSends = keypad.sendsByEvent.get(rated) ?? 0;
    expect(ratedSends).toBeGreaterThanOrEqual(6);
    // Every copy on the line reaches the core; one may still be in flight when the keypad takes its ACK.
    await waitFor(() => link.diagnostics().crk1?.driver.keysAcked === ratedSends, { what: 'every copy of the press handled' });

    // Once the thanks are over, a press with no case waiting, again sent 6 times.
    await waitFor(() => kiosk.snapshot().phase === 'idle', { what: 'the window free again' });
    const stray = eventIdOf(keypad.press(4));
    await waitFor(() => keypad.waiting === 0, { timeoutMs: 20_000, what: 'the stray press acknowledged' });
    const straySends = keypad.sendsByEvent.get(stray) ?? 0;
    expect(straySends).toBeGreaterThanOrEqual(6);
    await waitFor(() => link.diagnostics().crk1?.driver.keysAcked === ratedSends + straySends, { what: 'every copy of the stray press handled' });

    const records = pressRecords(kiosk.db);
    expect(records.ratings).toEqual([expect.objectContaining({ case_id: caseId, level: 'very_satisfied', channel: 'keypad', device_serial: 'CRK5-100002', device_event_id: rated })]);
    expect(records.counted()).toEqual([
      expect.objectContaining({ kind: 'rating', eventId: rated }),
      expect.objectContaining({ kind: 'misuse', eventId: stray }),
    ]);
    // The only misuse is the stray press; its resends, like the rating's, left no row and no outbox record.
    expect(records.misuse).toEqual([expect.objectContaining({ cause: 'no_case_waiting', device_event_id: stray, raw_key: 4 })]);
    expect(records.outboxKinds().filter((k) => k === 'misuse' || k === 'rating')).toEqual(['rating', 'misuse']);
    // Each resend is counted for the keypad, by the kiosk (kept on disk) and by the driver.
    await waitFor(() => pressRecords(kiosk.db).resends('CRK5-100002') === ratedSends + straySends - 2, { what: 'the resends counted on disk' });
    expect(kiosk.keypadRepeats()).toEqual({ 'CRK5-100002': ratedSends + straySends - 2 });
    expect(link.diagnostics().crk1?.driver.repeatedKeys).toBe(ratedSends + straySends - 2);
    expect(records.deviceEvents.map((e) => e.event_id)).toEqual([rated, stray]);

    expect(kiosk.today()).toMatchObject({ cases: 1, rated: 1, unrated: 0 });
    expect(kiosk.verify()).toMatchObject({ ok: true });
  }, 60_000);

  it('a keypad power cycle (new HELLO) gets TIME and the window’s current MODE and TEXT again, and presses after it are recorded', async () => {
    rig = await kioskWithKeypad({ identity: { serial: 'CRK5-100005' } });
    const { kiosk, keypad, link } = rig;
    await waitKeypadOnline(kiosk);
    staff(kiosk, { type: 'signInBadge', badgeId: BADGE });
    staff(kiosk, { type: 'openCase', itemCode: ITEM });
    await waitFor(() => keypad.display.mode === 'serving' && keypad.display.lines[0] === '正在为您办理', { what: 'keypad serving' });
    const hellos = link.diagnostics().crk1?.driver.hellos ?? 0;

    // The keypad loses power; while it is dark the case is finished, so what it showed is stale.
    keypad.powerDown();
    staff(kiosk, { type: 'finishCase', outcome: 'completed' });
    keypad.received.length = 0;
    keypad.display.clockSetTo = null;
    keypad.powerUp();

    await waitFor(() => keypad.display.mode === 'rating' && keypad.display.lines[0] === '请对本次服务进行评价', { what: 'the keypad brought up to date' });
    expect(link.diagnostics().crk1?.driver.hellos).toBeGreaterThan(hellos);
    const types = keypad.received.map((f) => f.message?.type);
    expect(types).toContain('time');
    expect(types).toContain('mode');
    expect(types).toContain('text');
    expect(Math.abs((keypad.display.clockSetTo ?? 0) - Date.now() / 1000)).toBeLessThan(60);
    await waitKeypadOnline(kiosk);

    const eventId = eventIdOf(keypad.press(3));
    await waitFor(() => keypad.waiting === 0, { what: 'the press after the power cycle acknowledged' });
    const records = pressRecords(kiosk.db);
    expect(records.ratings).toEqual([expect.objectContaining({ level: 'basically_satisfied', channel: 'keypad', device_serial: 'CRK5-100005', device_event_id: eventId })]);
    expect(records.misuse).toEqual([]);
    await waitFor(() => keypad.display.mode === 'thanks', { what: 'the keypad thanks the citizen' });

    // A second power cycle in the thanks: the keypad comes back showing the window as it is now.
    keypad.powerCycle();
    await waitFor(() => kiosk.snapshot().phase === 'idle' && keypad.display.mode === 'idle', { what: 'keypad idle after the thanks' });
    const second = eventIdOf(keypad.press(5));
    await waitFor(() => keypad.waiting === 0, { what: 'the next press acknowledged' });
    expect(pressRecords(kiosk.db).counted()).toEqual([
      expect.objectContaining({ kind: 'rating', eventId }),
      expect.objectContaining({ kind: 'misuse', eventId: second }),
    ]);
  }, 30_000);
});
