import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DETAILS_LIMIT_MS, DETAILS_TYPING_GRACE_MS, INITIAL_STATE, keypadView, nextDeadline, transition } from '../../src/core/lifecycle/machine';
import { DEFAULT_LIFECYCLE, type CaseInfo, type Fact, type MachineEvent, type Press, type StaffOnDuty, type WindowState } from '../../src/core/lifecycle/types';
import { RATING_LEVELS, type RatingLevel } from '../../src/shared/levels';

const cfg = DEFAULT_LIFECYCLE;
const staff: StaffOnDuty = { staffNo: '1001', name: '王晓梅', departmentCode: null, departmentName: null, sessionId: 's1', method: 'badge' };
const kase = (id: string, at: number): CaseInfo => ({
  id,
  caseNo: null,
  ticketNo: 'A001',
  itemCode: 'X-1',
  itemVersion: '1',
  itemName: '事项',
  departmentCode: null,
  departmentName: null,
  openedAt: at,
});
let pressNo = 0;
const press = (level: RatingLevel | null, extra: Partial<Press> = {}): Press => ({
  id: `p${++pressNo}`,
  level,
  rawKey: 1,
  channel: 'keypad',
  deviceSerial: 'CRK5-1',
  eventId: pressNo,
  repeat: false,
  ...extra,
});

function run(events: MachineEvent[], from: WindowState = INITIAL_STATE) {
  let state = from;
  const facts: Fact[] = [];
  const refusals: string[] = [];
  const keypad: unknown[] = [];
  for (const e of events) {
    const t = transition(state, e, cfg);
    state = t.state;
    for (const eff of t.effects) {
      if (eff.type === 'record') facts.push(eff.fact);
      else keypad.push(eff.command);
    }
    if (t.refused) refusals.push(t.refused.message);
  }
  return { state, facts, refusals, keypad };
}

const day = [
  { type: 'signIn', at: 0, staff },
  { type: 'openCase', at: 1000, case: kase('c1', 1000) },
  { type: 'finishCase', at: 5000, outcome: 'completed', missingMaterials: [], afterHours: false },
] satisfies MachineEvent[];

describe('window lifecycle', () => {
  it('takes the first press in the rating window as the rating and thanks the citizen', () => {
    const r = run([...day, { type: 'press', at: 9000, press: press('satisfied') }]);
    expect(r.state.phase).toBe('thanks');
    expect(r.facts.map((f) => f.kind)).toEqual(['session_started', 'case_opened', 'case_closed', 'rating']);
    expect(r.keypad).toContainEqual({ kind: 'mode', mode: 'rating' });
    expect(r.keypad).toContainEqual({ kind: 'prompt', phrase: 'please_rate' });
    expect(r.keypad.slice(-3)).toEqual([
      { kind: 'mode', mode: 'thanks' },
      { kind: 'text', line: 0, text: '感谢您的评价' },
      { kind: 'prompt', phrase: 'thanks' },
    ]);
  });

  it('keeps a second press as misuse and never counts it', () => {
    const r = run([...day, { type: 'press', at: 9000, press: press('satisfied') }, { type: 'press', at: 9500, press: press('very_dissatisfied') }]);
    expect(r.facts.filter((f) => f.kind === 'rating')).toHaveLength(1);
    expect(r.facts.at(-1)).toMatchObject({ kind: 'misuse', cause: 'second_press', caseId: 'c1', level: 'very_dissatisfied' });
  });

  it('records an unrated case when the rating window passes, and never invents a rating', () => {
    const r = run([...day, { type: 'tick', at: 5000 + cfg.ratingWindowMs }]);
    expect(r.state.phase).toBe('idle');
    expect(r.facts.at(-1)).toEqual({ kind: 'case_unrated', at: 20_000, caseId: 'c1', invitedAt: 5000, deadline: 20_000 });
    expect(r.facts.some((f) => f.kind === 'rating')).toBe(false);
  });

  it('treats a press just after the deadline as misuse of an unrated case', () => {
    const r = run([...day, { type: 'press', at: 5000 + cfg.ratingWindowMs, press: press('very_satisfied') }]);
    expect(r.facts.slice(-2).map((f) => f.kind)).toEqual(['case_unrated', 'misuse']);
    expect(r.facts.at(-1)).toMatchObject({ cause: 'no_case_waiting' });
  });

  it('names the cause of every uncounted press', () => {
    expect(run([{ type: 'press', at: 1, press: press('satisfied') }]).facts[0]).toMatchObject({ cause: 'window_closed' });
    expect(run([{ type: 'signIn', at: 0, staff }, { type: 'press', at: 1, press: press('satisfied') }]).facts[1]).toMatchObject({ cause: 'no_case_waiting' });
    expect(
      run([{ type: 'signIn', at: 0, staff }, { type: 'pause', at: 1, pauseId: 'pz', reason: '午休' }, { type: 'press', at: 2, press: press('satisfied') }]).facts[2],
    ).toMatchObject({ cause: 'window_paused' });
    expect(run([...day, { type: 'press', at: 6000, press: press(null, { rawKey: 9 }) }]).facts.at(-1)).toMatchObject({ cause: 'unmapped_key', rawKey: 9 });
  });

  it('records nothing for a resend of a press already recorded: no misuse, no case, the window as it was', () => {
    const before = run(day);
    const after = run([...day, { type: 'press', at: 6000, press: press('satisfied', { repeat: true }) }]);
    expect(after.facts).toEqual(before.facts);
    expect(after.state.phase).toBe('awaiting_rating');
  });

  it('opens a details window after a poor rating and takes reasons and a callback number once', () => {
    const poor = press('very_dissatisfied');
    const r = run([...day, { type: 'press', at: 6000, press: poor }]);
    expect(r.state.phase).toBe('thanks');
    expect(r.state.lastRating).toMatchObject({ id: poor.id, detailsUntil: 6000 + cfg.detailsWindowMs });
    expect(r.keypad).toContainEqual({ kind: 'prompt', phrase: 'thanks_for_feedback' });
    const details = { type: 'addDetails' as const, ratingId: poor.id, reasonCodes: ['R01'], comment: null, callbackPhone: '13812345678' };
    const after = run([{ ...details, at: 7000 }, { ...details, at: 7500 }], r.state);
    expect(after.facts.map((f) => f.kind)).toEqual(['rating_details']);
    expect(after.refusals).toEqual(['the time to add reasons to this rating has passed']);
  });

  it('refuses details after the window closes', () => {
    const poor = press('dissatisfied');
    const r = run([...day, { type: 'press', at: 6000, press: poor }]);
    const late = run([{ type: 'addDetails', at: 6000 + cfg.detailsWindowMs, ratingId: poor.id, reasonCodes: [], comment: null, callbackPhone: null }], r.state);
    expect(late.refusals).toHaveLength(1);
    expect(late.facts).toEqual([]);
  });

  it('keeps the details open while the citizen types, up to a limit, and then closes them', () => {
    const poor = press('dissatisfied');
    const rated = run([...day, { type: 'press', at: 6000, press: poor }]);
    const first = 6000 + cfg.detailsWindowMs;
    // Typing near the close: the reasons stay open 30 s past the keystroke, and so does the screen.
    const typing = run([{ type: 'keepDetailsOpen', at: first - 1000, ratingId: poor.id }], rated.state);
    expect(typing.state.lastRating?.detailsUntil).toBe(first - 1000 + DETAILS_TYPING_GRACE_MS);
    expect(typing.state.phase === 'thanks' && typing.state.until).toBe(first - 1000 + DETAILS_TYPING_GRACE_MS);
    const sent = run([{ type: 'addDetails', at: first + 5000, ratingId: poor.id, reasonCodes: [], comment: '窗口人员态度差', callbackPhone: null }], typing.state);
    expect(sent.facts.map((f) => f.kind)).toEqual(['rating_details']);

    // Typing for ever does not hold the window for ever: it ends at the limit.
    const limit = 6000 + DETAILS_LIMIT_MS;
    const strokes: MachineEvent[] = [];
    for (let at = 7000; at < limit; at += 5000) strokes.push({ type: 'keepDetailsOpen', at, ratingId: poor.id });
    const endless = run(strokes, rated.state);
    expect(endless.refusals).toEqual([]);
    expect(endless.state.lastRating?.detailsUntil).toBe(limit);
    const late = run([{ type: 'addDetails', at: limit, ratingId: poor.id, reasonCodes: ['R01'], comment: null, callbackPhone: null }], endless.state);
    expect(late.facts).toEqual([]);
    expect(late.state.phase).toBe('idle');

    // Another rating's id changes nothing.
    const other = run([{ type: 'keepDetailsOpen', at: 7000, ratingId: 'someone-else' }], rated.state);
    expect(other.state.lastRating?.detailsUntil).toBe(first);
    expect(other.refusals).toEqual(['that rating is not the one just given']);
  });

  it('refuses commands that make no sense now, with a reason', () => {
    expect(run([{ type: 'openCase', at: 0, case: kase('c', 0) }]).refusals).toEqual(['cannot open a case: no staff member is signed in']);
    expect(run([...day.slice(0, 2), { type: 'signOut', at: 2000 }]).refusals).toEqual(['finish the open case before signing out']);
    expect(run([...day, { type: 'signOut', at: 6000 }]).refusals[0]).toMatch(/still rating/);
    expect(run([{ type: 'signIn', at: 0, staff }, { type: 'signIn', at: 1, staff }]).refusals[0]).toMatch(/already signed in/);
  });

  it('shows 暂停服务 on the keypad when paused or closed', () => {
    const paused = run([{ type: 'signIn', at: 0, staff }, { type: 'pause', at: 1, pauseId: 'p', reason: '会议' }]);
    expect(keypadView(paused.state)).toMatchObject({ mode: { mode: 'closed' }, text: '暂停服务' });
    expect(paused.keypad).toContainEqual({ kind: 'text', line: 0, text: '暂停服务' });
    expect(keypadView(INITIAL_STATE).text).toBe('暂停服务');
  });

  it('ends a pause when staff sign out while paused', () => {
    const r = run([{ type: 'signIn', at: 0, staff }, { type: 'pause', at: 1, pauseId: 'p', reason: '会议' }, { type: 'signOut', at: 2 }]);
    expect(r.facts.map((f) => f.kind)).toEqual(['session_started', 'pause_started', 'pause_ended', 'session_ended']);
    expect(r.state.phase).toBe('closed');
  });

  it('switches the greeting to 请稍候 while the case is served', () => {
    const r = run([...day.slice(0, 2)]);
    expect(r.state.phrase).toBe('greeting');
    expect(nextDeadline(r.state)).toBe(1000 + cfg.greetingMs);
    expect(run([{ type: 'tick', at: 1000 + cfg.greetingMs }], r.state).state.phrase).toBe('please_wait');
  });
});

// ---- properties over random event sequences -----------------------------------------

const arbEvent = (i: number): fc.Arbitrary<(at: number) => MachineEvent> =>
  fc.oneof(
    fc.constant((at: number) => ({ type: 'signIn', at, staff }) as MachineEvent),
    fc.constant((at: number) => ({ type: 'signOut', at }) as MachineEvent),
    fc.constant((at: number) => ({ type: 'openCase', at, case: kase(`c${i}`, at) }) as MachineEvent),
    fc.constant((at: number) => ({ type: 'finishCase', at, outcome: 'completed', missingMaterials: [], afterHours: false }) as MachineEvent),
    fc.constant((at: number) => ({ type: 'pause', at, pauseId: `pz${i}`, reason: 'r' }) as MachineEvent),
    fc.constant((at: number) => ({ type: 'resume', at }) as MachineEvent),
    fc.constant((at: number) => ({ type: 'tick', at }) as MachineEvent),
    fc.tuple(fc.option(fc.constantFrom(...RATING_LEVELS), { nil: null }), fc.boolean()).map(
      ([level, repeat]) =>
        (at: number) =>
          ({ type: 'press', at, press: { ...press(level), id: `press${i}`, repeat: repeat && i % 3 === 0 } }) as MachineEvent,
    ),
  );

const arbRun = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.nat()), { minLength: 1, maxLength: 60 })
  .chain((steps) =>
    fc.tuple(...steps.map((_, i) => arbEvent(i))).map((makers) => {
      let at = 0;
      return makers.map((make, i) => make((at += steps[i]![0])));
    }),
  );

describe('lifecycle invariants (property tests)', () => {
  it('counts at most one rating per case, and every press is the rating or misuse, a resend neither', () => {
    fc.assert(
      fc.property(arbRun, (events) => {
        const r = run(events);
        const ratedCases = r.facts.filter((f) => f.kind === 'rating').map((f) => (f as Extract<Fact, { kind: 'rating' }>).case.id);
        expect(new Set(ratedCases).size).toBe(ratedCases.length);
        const presses = events.filter((e) => e.type === 'press' && !e.press.repeat).length;
        const accounted = r.facts.filter((f) => f.kind === 'rating' || f.kind === 'misuse').length;
        expect(accounted).toBe(presses);
      }),
      { numRuns: 400 },
    );
  });

  it('never rates a case that was not waiting for a rating, nor counts a repeated event', () => {
    fc.assert(
      fc.property(arbRun, (events) => {
        let state: WindowState = INITIAL_STATE;
        for (const e of events) {
          const t = transition(state, e, cfg);
          for (const eff of t.effects) {
            if (eff.type === 'record' && eff.fact.kind === 'rating') {
              // Only the case invited for rating, only inside its window, only a fresh device event.
              expect(state.phase).toBe('awaiting_rating');
              if (state.phase === 'awaiting_rating') {
                expect(eff.fact.case.id).toBe(state.case.id);
                expect(e.at).toBeLessThan(state.deadline);
              }
              expect(e.type === 'press' && !e.press.repeat).toBe(true);
            }
          }
          state = t.state;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('closes every finished case exactly once: rated or unrated, never both', () => {
    fc.assert(
      fc.property(arbRun, (events) => {
        const last = events.at(-1)!.at;
        const r = run([...events, { type: 'tick', at: last + cfg.ratingWindowMs + cfg.detailsWindowMs }]);
        const closed = r.facts.filter((f) => f.kind === 'case_closed').map((f) => (f as { caseId: string }).caseId);
        const ended = r.facts.flatMap((f) => (f.kind === 'rating' ? [f.case.id] : f.kind === 'case_unrated' ? [f.caseId] : []));
        expect(ended.sort()).toEqual([...closed].sort());
      }),
      { numRuns: 300 },
    );
  });
});

describe('a press that says how long ago it was made (CRK/1 press age)', () => {
  // c1 waits for its rating from 5 s to 20 s; it goes unrated; c2 is opened at 21 s and waits from 25 s.
  const twoCases = [
    ...day,
    { type: 'tick', at: 20_000 },
    { type: 'openCase', at: 21_000, case: kase('c2', 21_000) },
    { type: 'finishCase', at: 25_000, outcome: 'completed', missingMaterials: [], afterHours: false },
  ] satisfies MachineEvent[];
  const aged = (level: RatingLevel | null, madeAt: number, arrivedAt: number): MachineEvent => ({ type: 'press', at: madeAt, press: press(level, { arrivedAt }) });

  it('rates the case that was waiting when the key was pressed, though that window closed unrated since', () => {
    const r = run([...twoCases, aged('satisfied', 17_000, 26_000)]);
    expect(r.facts.at(-1)).toMatchObject({ kind: 'rating', at: 17_000, level: 'satisfied', invitedAt: 5000, case: { id: 'c1' }, staffNo: '1001' });
    // c2 still waits for its own citizen, who then rates it.
    expect(r.state).toMatchObject({ phase: 'awaiting_rating', case: { id: 'c2' } });
    const next = run([...twoCases, aged('satisfied', 17_000, 26_000), { type: 'press', at: 27_000, press: press('dissatisfied') }]);
    expect(next.facts.at(-1)).toMatchObject({ kind: 'rating', level: 'dissatisfied', case: { id: 'c2' } });
  });

  it('does not give the waiting case a press made before it was invited, when no case waited then', () => {
    const r = run([...twoCases, aged('very_satisfied', 22_000, 26_000)]);
    expect(r.facts.at(-1)).toMatchObject({ kind: 'misuse', cause: 'no_case_waiting', caseId: null, at: 22_000 });
    expect(r.state).toMatchObject({ phase: 'awaiting_rating', case: { id: 'c2' } });
  });

  it('makes a second press inside a window already rated the second press on that case', () => {
    const rated = [...day, { type: 'press', at: 6000, press: press('satisfied') }, { type: 'tick', at: 12_000 }, { type: 'openCase', at: 13_000, case: kase('c2', 13_000) }] satisfies MachineEvent[];
    const r = run([...rated, aged('very_dissatisfied', 7000, 14_000)]);
    expect(r.facts.at(-1)).toMatchObject({ kind: 'misuse', cause: 'second_press', caseId: 'c1', at: 7000 });
    expect(r.facts.filter((f) => f.kind === 'rating')).toHaveLength(1);
  });

  it('rates the waiting case with a press made inside its window, placed at the moment it was made', () => {
    const r = run([...day, aged('basically_satisfied', 6000, 9000)]);
    expect(r.facts.at(-1)).toMatchObject({ kind: 'rating', at: 6000, case: { id: 'c1' } });
  });

  it('judges a press without an age at its arrival, as before', () => {
    const r = run([...twoCases, { type: 'press', at: 26_000, press: press('satisfied') }]);
    expect(r.facts.at(-1)).toMatchObject({ kind: 'rating', case: { id: 'c2' } });
  });
});
