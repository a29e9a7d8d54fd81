/**
 * A press the keypad held while the kiosk was down, sent after the restart with its age
 * (CRK/1 §3.2): the real core places it at arrival minus age and rates the case that was
 * waiting then, not the case waiting when it arrived.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BADGE, ITEM, pressRecords } from './support/kiosk-on-pty';
import { HELLO_WITH_AGE, kioskWithRawKeypad, type RawKeypadRig } from './support/kiosk-raw-keypad';
import { HELLO } from './support/driver-rig';
import { waitFor } from './support/wait-for';

let rig: RawKeypadRig | null = null;
afterEach(async () => {
  await rig?.dispose();
  rig = null;
});

const RATING = { windowSeconds: 10, detailsSeconds: 60, thanksSeconds: 1 };

function ok(result: { ok: boolean }): void {
  expect(result).toMatchObject({ ok: true });
}

/** A case finished now: it waits for its rating for 10 s. Returns its id. */
function finishedCase(r: RawKeypadRig): string {
  const kiosk = r.kiosk();
  if (kiosk.snapshot().phase === 'closed') ok(kiosk.execute({ type: 'signInBadge', badgeId: BADGE }, 'staff'));
  ok(kiosk.execute({ type: 'openCase', itemCode: ITEM }, 'staff'));
  const id = kiosk.snapshot().case!.id;
  ok(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
  return id;
}

/** The kiosk goes down with case A waiting, A's window runs out while it is down, and case B waits after the restart. */
async function restartedWithAnotherCaseWaiting(r: RawKeypadRig) {
  await r.answerQuery();
  const caseA = finishedCase(r);
  r.clock.advance(1_000);
  await r.stopKiosk();
  // Down for 11 s: A's window (10 s) closes while nobody can record its rating.
  r.clock.advance(11_000);
  await r.startKiosk();
  await r.answerQuery();
  const caseB = finishedCase(r);
  return { caseA, caseB };
}

describe('the real core and a keypad that says how long ago a key was pressed', () => {
  it('a press with an age of 3 s that arrives after a restart rates the case that was waiting 3 s earlier', async () => {
    rig = await kioskWithRawKeypad(RATING);
    const r = rig;
    const { caseA, caseB } = await restartedWithAnotherCaseWaiting(r);
    // Case A went unrated at the restart; B waits now.
    expect(r.kiosk().db.prepare('SELECT status FROM cases WHERE id = ?').pluck().get(caseA)).toBe('unrated');

    // Arrives 12 s after A finished, made 3 s before: 9 s after A finished, inside A's window.
    r.send([20, { type: 'key', key: 2, eventId: 41, ageMs: 3000 }]);
    await waitFor(() => r.ackedSeqs().includes(20), { what: 'the ACK of the aged KEY' });
    await waitFor(() => pressRecords(r.kiosk().db).ratings.length === 1, { what: 'the press stored' });
    const kiosk = r.kiosk();
    expect(pressRecords(kiosk.db).ratings).toEqual([expect.objectContaining({ case_id: caseA, level: 'satisfied', device_event_id: 41 })]);
    expect(kiosk.db.prepare('SELECT rated_at FROM ratings').pluck().get()).toBe(r.clock.now() - 3000);
    expect(kiosk.db.prepare('SELECT id, status FROM cases ORDER BY opened_at').all()).toEqual([
      { id: caseA, status: 'rated' },
      { id: caseB, status: 'awaiting_rating' },
    ]);
    // B is still waiting for its own citizen, whose press (no age: made now) rates it.
    expect(kiosk.snapshot()).toMatchObject({ phase: 'awaiting_rating', case: { id: caseB } });
    r.send([21, { type: 'key', key: 1, eventId: 42, ageMs: 0 }]);
    await waitFor(() => pressRecords(r.kiosk().db).ratings.length === 2, { what: 'the second press stored' });
    expect(pressRecords(kiosk.db).ratings[1]).toMatchObject({ case_id: caseB, level: 'very_satisfied', device_event_id: 42 });
    expect(pressRecords(kiosk.db).misuse).toEqual([]);
    // The centre hears of A's rating after A's unrated record, as it happened here.
    expect(pressRecords(kiosk.db).outboxKinds().slice(-4)).toEqual(['case_opened', 'case_closed', 'rating', 'rating']);
    expect(kiosk.verify()).toMatchObject({ ok: true });
  }, 60_000);

  it('a keypad without the press age is judged at arrival, as before: its held press rates the case waiting now', async () => {
    rig = await kioskWithRawKeypad(RATING);
    const r = rig;
    await r.answerQuery(HELLO);
    const caseA = finishedCase(r);
    r.clock.advance(1_000);
    await r.stopKiosk();
    r.clock.advance(11_000);
    await r.startKiosk();
    await r.answerQuery(HELLO);
    const caseB = finishedCase(r);
    r.send([20, { type: 'key', key: 2, eventId: 41 }]);
    await waitFor(() => pressRecords(r.kiosk().db).ratings.length === 1, { what: 'the press stored' });
    expect(pressRecords(r.kiosk().db).ratings).toEqual([expect.objectContaining({ case_id: caseB, device_event_id: 41 })]);
    expect(r.kiosk().db.prepare('SELECT status FROM cases WHERE id = ?').pluck().get(caseA)).toBe('unrated');
  }, 60_000);

  it('a press whose age puts it before any case waited is misuse, and leaves the waiting case to its citizen', async () => {
    rig = await kioskWithRawKeypad(RATING);
    const r = rig;
    await r.answerQuery(HELLO_WITH_AGE);
    const kiosk = r.kiosk();
    ok(kiosk.execute({ type: 'signInBadge', badgeId: BADGE }, 'staff'));
    const caseId = finishedCase(r);
    r.clock.advance(2_000);
    // Made 5 s ago: 3 s before the case was finished.
    r.send([30, { type: 'key', key: 5, eventId: 7, ageMs: 5000 }]);
    await waitFor(() => pressRecords(kiosk.db).misuse.length === 1, { what: 'the press stored' });
    expect(pressRecords(kiosk.db).misuse).toEqual([expect.objectContaining({ cause: 'no_case_waiting', case_id: null, device_event_id: 7 })]);
    expect(kiosk.snapshot()).toMatchObject({ phase: 'awaiting_rating', case: { id: caseId } });
  }, 60_000);
});
