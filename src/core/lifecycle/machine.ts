/**
 * The case and rating lifecycle of one service window, as a pure function:
 * (state, event) -> (state, effects). No clock, no I/O, no ids: everything arrives in
 * the event, so the same inputs always give the same outputs and the runtime can replay it.
 *
 *   closed --signIn--> idle --openCase--> serving --finishCase--> awaiting_rating
 *   awaiting_rating --press--> thanks --(time)--> idle
 *   awaiting_rating --(rating window passes)--> idle, case recorded as unrated
 *   idle <--pause/resume--> paused;  idle|paused|thanks --signOut--> closed
 *
 * Every press is either the rating of the case awaiting one, or misuse with its cause.
 */
import { isPoor } from '../../shared/levels';
import type { MisuseCause } from '../../shared/domain';
import type { RefusalFields, RefusalReason } from '../../shared/refusals';
import { ANNEX_A, joinMaterials, type PhraseFills, type PromptKey, type StaffPhraseKey } from '../../shared/phrases';
import type {
  Effect,
  Fact,
  KeypadCommand,
  LifecycleConfig,
  MachineEvent,
  PastRatingWindow,
  Press,
  Refusal,
  StaffOnDuty,
  Transition,
  WindowState,
} from './types';

export const INITIAL_STATE: WindowState = { phase: 'closed', phrase: null, lastRating: null };

export const PAUSED_TEXT = '暂停服务';

/** Typing a poor rating's comment keeps its reasons open at least this long after each keystroke … */
export const DETAILS_TYPING_GRACE_MS = 30_000;
/** … but never longer than this after the rating. */
export const DETAILS_LIMIT_MS = 5 * 60_000;

/** What the keypad should show for a state: its MODE and the first display line. */
export function keypadView(state: WindowState): { mode: KeypadCommand & { kind: 'mode' }; text: string } {
  const view = (mode: 'closed' | 'idle' | 'serving' | 'rating' | 'thanks', text: string) => ({
    mode: { kind: 'mode' as const, mode },
    text,
  });
  switch (state.phase) {
    case 'closed':
    case 'paused':
      return view('closed', PAUSED_TEXT);
    case 'idle':
      return view('idle', `${state.staff.name} 为您服务`);
    case 'serving':
      return view('serving', '正在为您办理');
    case 'awaiting_rating':
      return view('rating', '请对本次服务进行评价');
    case 'thanks':
      return view('thanks', '感谢您的评价');
  }
}

/** The next moment at which time alone changes the state, if any. */
export function nextDeadline(state: WindowState): number | null {
  const times: number[] = [];
  if (state.phase === 'awaiting_rating') times.push(state.deadline);
  if (state.phase === 'thanks') times.push(state.until);
  if (state.phase === 'serving' && state.phrase === 'greeting') times.push(state.greetingUntil);
  if (state.lastRating?.detailsUntil != null) times.push(state.lastRating.detailsUntil);
  return times.length > 0 ? Math.min(...times) : null;
}

/** Applies everything that time alone does up to `at`: unrated cases, the end of thanks. */
function advance(state: WindowState, at: number, facts: Fact[]): WindowState {
  let next = state;
  if (next.lastRating?.detailsUntil != null && at >= next.lastRating.detailsUntil) {
    next = { ...next, lastRating: { ...next.lastRating, detailsUntil: null } };
  }
  if (next.phase === 'awaiting_rating' && at >= next.deadline) {
    facts.push({ kind: 'case_unrated', at: next.deadline, caseId: next.case.id, invitedAt: next.invitedAt, deadline: next.deadline });
    next = { phase: 'idle', staff: next.staff, phrase: null, lastRating: next.lastRating };
  }
  if (next.phase === 'thanks' && at >= next.until) {
    next = { phase: 'idle', staff: next.staff, phrase: null, lastRating: null };
  }
  if (next.phase === 'serving' && next.phrase === 'greeting' && at >= next.greetingUntil) {
    next = { ...next, phrase: 'please_wait', phraseFills: null };
  }
  return next;
}

function refuse(state: WindowState, reason: RefusalReason, message: string, fields?: RefusalFields, code: Refusal['code'] = 'not_allowed_now'): Transition {
  return { state, effects: [], refused: fields === undefined ? { code, message, reason } : { code, message, reason, fields } };
}

const PHASE_NAMES: Record<WindowState['phase'], string> = {
  closed: 'no staff member is signed in',
  idle: 'the window is idle',
  paused: 'the window is paused',
  serving: 'a case is open',
  awaiting_rating: 'the citizen is rating the last case',
  thanks: 'the citizen has just rated',
};

export function staffOf(state: WindowState): StaffOnDuty | null {
  return state.phase === 'closed' ? null : state.staff;
}

function handle(state: WindowState, event: MachineEvent, cfg: LifecycleConfig, facts: Fact[], prompts: PromptKey[]): Transition | WindowState {
  const at = event.at;
  switch (event.type) {
    case 'tick':
      return state;

    case 'signIn':
      if (state.phase !== 'closed') return refuse(state, 'already_signed_in', `${state.staff.name} is already signed in at this window`, { name: state.staff.name });
      facts.push({
        kind: 'session_started',
        at,
        sessionId: event.staff.sessionId,
        staffNo: event.staff.staffNo,
        staffName: event.staff.name,
        method: event.staff.method,
      });
      return { phase: 'idle', staff: event.staff, phrase: null, lastRating: state.lastRating };

    case 'signOut': {
      if (state.phase === 'closed') return refuse(state, 'nobody_signed_in', 'nobody is signed in');
      if (state.phase === 'serving') return refuse(state, 'sign_out_case_open', 'finish the open case before signing out');
      if (state.phase === 'awaiting_rating') {
        return refuse(state, 'sign_out_while_rating', 'the citizen is still rating; sign out after the rating window ends');
      }
      if (state.phase === 'paused') facts.push({ kind: 'pause_ended', at, pauseId: state.pause.id, staffNo: state.staff.staffNo });
      facts.push({ kind: 'session_ended', at, sessionId: state.staff.sessionId, staffNo: state.staff.staffNo });
      return { phase: 'closed', phrase: null, lastRating: state.lastRating };
    }

    case 'pause':
      if (state.phase !== 'idle' && state.phase !== 'thanks') return refuse(state, 'cannot_pause', `cannot pause: ${PHASE_NAMES[state.phase]}`, { phase: state.phase });
      facts.push({
        kind: 'pause_started',
        at,
        pauseId: event.pauseId,
        sessionId: state.staff.sessionId,
        staffNo: state.staff.staffNo,
        reason: event.reason,
      });
      return { phase: 'paused', staff: state.staff, pause: { id: event.pauseId, reason: event.reason, since: at }, phrase: null, lastRating: state.lastRating };

    case 'resume':
      if (state.phase !== 'paused') return refuse(state, 'not_paused', 'the window is not paused');
      facts.push({ kind: 'pause_ended', at, pauseId: state.pause.id, staffNo: state.staff.staffNo });
      return { phase: 'idle', staff: state.staff, phrase: null, lastRating: state.lastRating };

    case 'openCase':
      if (state.phase !== 'idle' && state.phase !== 'thanks') return refuse(state, 'cannot_open_case', `cannot open a case: ${PHASE_NAMES[state.phase]}`, { phase: state.phase });
      facts.push({ kind: 'case_opened', at, case: event.case, staffNo: state.staff.staffNo, staffName: state.staff.name, sessionId: state.staff.sessionId });
      prompts.push('greeting');
      return {
        phase: 'serving',
        staff: state.staff,
        case: event.case,
        greetingUntil: at + cfg.greetingMs,
        phrase: 'greeting',
        lastRating: state.lastRating,
      };

    case 'finishCase': {
      if (state.phase !== 'serving') return refuse(state, 'no_open_case', `there is no open case to finish: ${PHASE_NAMES[state.phase]}`, { phase: state.phase });
      const deadline = at + cfg.ratingWindowMs;
      facts.push({
        kind: 'case_closed',
        at,
        caseId: state.case.id,
        outcome: event.outcome,
        missingMaterials: event.missingMaterials,
        afterHours: event.afterHours,
        ratingDeadline: deadline,
        referral: event.referral,
        referralNote: event.referralNote,
        complaintSummary: event.complaintSummary,
      });
      const invited = { phase: 'awaiting_rating', staff: state.staff, case: state.case, invitedAt: at, deadline, lastRating: null } as const;
      if (event.outcome === 'notified_missing' && event.missingMaterials.length > 0) {
        // 一次告知 (A.1.1.4): the matter is not done, so the citizen sees what to bring back,
        // not 您的业务已办好; the keypad still blinks for a rating.
        const fills: PhraseFills = { rule: state.case.itemName, materials: joinMaterials(event.missingMaterials, 'zh') };
        return { ...invited, phrase: 'materials_incomplete', phraseFills: fills };
      }
      prompts.push('please_rate');
      return { ...invited, phrase: 'please_rate' };
    }

    case 'playPhrase': {
      if (state.phase === 'closed' || state.phase === 'paused') return refuse(state, 'cannot_play_phrase', `cannot play a phrase: ${PHASE_NAMES[state.phase]}`, { phase: state.phase });
      const fills = fillsFor(state, event.phrase);
      if (fills === null) {
        const { zh, moment } = ANNEX_A[event.phrase];
        return refuse(state, 'phrase_needs_case', `“${zh.replace(/\{\w+\}/g, 'XX')}” (${moment}) names the open case's item: open a case first`, { phrase: event.phrase });
      }
      const prompt = ANNEX_A[event.phrase].prompt;
      if (prompt) prompts.push(prompt);
      return { ...state, phrase: event.phrase, phraseFills: ANNEX_A[event.phrase].fills.length > 0 ? fills : null };
    }

    case 'press':
      return press(state, at, event.press, cfg, facts, prompts);

    case 'keepDetailsOpen': {
      // A citizen typing a comment on the on-screen keyboard must not lose it to the clock:
      // each keystroke keeps the reasons open for DETAILS_TYPING_GRACE_MS more, never past
      // DETAILS_LIMIT_MS after the rating, so a forgotten screen still closes.
      const last = state.lastRating;
      if (!last || last.id !== event.ratingId) return refuse(state, 'rating_not_latest', 'that rating is not the one just given', undefined, 'unknown_rating');
      if (last.detailsUntil === null) return refuse(state, 'details_closed', 'the time to add reasons to this rating has passed', undefined, 'details_closed');
      const until = Math.max(last.detailsUntil, Math.min(at + DETAILS_TYPING_GRACE_MS, last.detailsLimit ?? last.detailsUntil));
      if (until === last.detailsUntil) return state;
      const lastRating = { ...last, detailsUntil: until };
      if (state.phase === 'thanks') return { ...state, until: Math.max(state.until, until), lastRating };
      return { ...state, lastRating };
    }

    case 'addDetails': {
      const last = state.lastRating;
      if (!last || last.id !== event.ratingId) return refuse(state, 'rating_not_latest', 'that rating is not the one just given', undefined, 'unknown_rating');
      if (last.detailsUntil === null) return refuse(state, 'details_closed', 'the time to add reasons to this rating has passed', undefined, 'details_closed');
      facts.push({
        kind: 'rating_details',
        at,
        ratingId: last.id,
        reasonCodes: event.reasonCodes,
        comment: event.comment,
        callbackPhone: event.callbackPhone,
      });
      prompts.push('thanks_for_feedback');
      const lastRating = { ...last, detailsUntil: null };
      if (state.phase === 'thanks') return { ...state, until: Math.min(state.until, at + cfg.thanksMs), phrase: 'thanks_for_feedback', phraseFills: null, lastRating };
      return { ...state, lastRating };
    }
  }
}

/** The fill-ins a staff phrase takes from the open case (A.1.1.3: the item's materials); null when it needs a case and there is none. */
function fillsFor(state: WindowState, key: StaffPhraseKey): PhraseFills | null {
  const needs = ANNEX_A[key].fills;
  if (needs.length === 0) return {};
  if (state.phase !== 'serving' && state.phase !== 'awaiting_rating') return null;
  return { materials: state.case.itemName };
}

function misuseCause(state: WindowState, p: Press): MisuseCause | null {
  if (p.level === null) return 'unmapped_key';
  switch (state.phase) {
    case 'closed':
      return 'window_closed';
    case 'paused':
      return 'window_paused';
    case 'idle':
    case 'serving':
      return 'no_case_waiting';
    case 'thanks':
      return 'second_press';
    case 'awaiting_rating':
      return null;
  }
}

function misuseFact(at: number, p: Press, cause: MisuseCause, caseId: string | null): Fact {
  return { kind: 'misuse', at, pressId: p.id, cause, level: p.level, rawKey: p.rawKey, channel: p.channel, deviceSerial: p.deviceSerial, eventId: p.eventId, caseId };
}

/**
 * A press made before it arrived (it carries its age) and not inside the rating window open
 * now: judged against the case that was waiting when it was made. Null: no remembered
 * window held that moment and none is open now, so it is judged by the state, as any press.
 */
function latePress(state: WindowState, at: number, p: Press, facts: Fact[]): WindowState | null {
  const w = (state.recent ?? []).find((r) => at >= r.invitedAt && at < r.deadline);
  if (!w) {
    // The case waiting now was invited after the key was pressed: it is not this press's case.
    if (state.phase !== 'awaiting_rating') return null;
    facts.push(misuseFact(at, p, p.level === null ? 'unmapped_key' : 'no_case_waiting', null));
    return state;
  }
  if (p.level === null || w.ratedAt !== null) {
    facts.push(misuseFact(at, p, p.level === null ? 'unmapped_key' : 'second_press', w.case.id));
    return state;
  }
  // Its window has closed (the case went unrated): the rating is the case's, the window shows nothing of it.
  facts.push({
    kind: 'rating', at, ratingId: p.id, case: w.case, staffNo: w.staffNo, staffName: w.staffName, level: p.level, rawKey: p.rawKey,
    channel: p.channel, deviceSerial: p.deviceSerial, eventId: p.eventId, invitedAt: w.invitedAt,
  });
  return state;
}

function press(state: WindowState, at: number, p: Press, cfg: LifecycleConfig, facts: Fact[], prompts: PromptKey[]): WindowState {
  // Recorded before already: nothing happened at the window (an entry from an older journal).
  if (p.repeat) return state;
  const late = p.arrivedAt !== undefined && at < p.arrivedAt;
  if (late && !(state.phase === 'awaiting_rating' && at >= state.invitedAt)) {
    const judged = latePress(state, at, p, facts);
    if (judged) return judged;
  }
  const cause = misuseCause(state, p);
  if (cause !== null || state.phase !== 'awaiting_rating' || p.level === null) {
    const caseId =
      state.phase === 'serving' ? state.case.id : state.phase === 'thanks' ? (state.lastRating?.caseId ?? null) : null;
    facts.push({
      kind: 'misuse',
      at,
      pressId: p.id,
      cause: cause ?? 'no_case_waiting',
      level: p.level,
      rawKey: p.rawKey,
      channel: p.channel,
      deviceSerial: p.deviceSerial,
      eventId: p.eventId,
      caseId,
    });
    return state;
  }
  const poor = isPoor(p.level);
  facts.push({
    kind: 'rating',
    at,
    ratingId: p.id,
    case: state.case,
    staffNo: state.staff.staffNo,
    staffName: state.staff.name,
    level: p.level,
    rawKey: p.rawKey,
    channel: p.channel,
    deviceSerial: p.deviceSerial,
    eventId: p.eventId,
    invitedAt: state.invitedAt,
  });
  prompts.push(poor ? 'thanks_for_feedback' : 'thanks');
  const detailsUntil = poor ? at + cfg.detailsWindowMs : null;
  const detailsLimit = poor ? at + Math.max(cfg.detailsWindowMs, DETAILS_LIMIT_MS) : null;
  return {
    phase: 'thanks',
    staff: state.staff,
    until: poor ? at + cfg.detailsWindowMs : at + cfg.thanksMs,
    phrase: poor ? 'thanks_for_feedback' : 'thanks',
    lastRating: { id: p.id, caseId: state.case.id, level: p.level, detailsUntil, detailsLimit },
  };
}

/** The lifecycle: applies time up to the event, then the event, and says what to record and tell the keypad. */
export function transition(state: WindowState, event: MachineEvent, cfg: LifecycleConfig): Transition {
  const facts: Fact[] = [];
  const prompts: PromptKey[] = [];
  const advanced = advance(state, event.at, facts);
  const handled = handle(advanced, event, cfg, facts, prompts);
  const recent = nextRecent(state.recent ?? [], advanced, facts, event.at);
  if ('effects' in handled) {
    // Refused, but time still moved on: an unrated case is a fact even when the command is not.
    return { ...withEffects(state, withRecent(advanced, recent), facts, []), refused: handled.refused };
  }
  return withEffects(state, withRecent(handled, recent), facts, prompts);
}

/** How long a keypad can hold a press and still say its age (0xFFFF × 10 ms). */
export const PRESS_AGE_LIMIT_MS = 655_350;
const RECENT_WINDOWS_KEPT = 32;

/** The rating windows a late press may still belong to, after this transition's facts. */
function nextRecent(kept: readonly PastRatingWindow[], before: WindowState, facts: readonly Fact[], at: number): readonly PastRatingWindow[] {
  let recent = kept;
  for (const f of facts) {
    if (f.kind === 'case_closed' && before.phase === 'serving' && before.case.id === f.caseId) {
      recent = [...recent, { case: before.case, staffNo: before.staff.staffNo, staffName: before.staff.name, invitedAt: f.at, deadline: f.ratingDeadline, ratedAt: null }];
    } else if (f.kind === 'rating') {
      recent = recent.map((w) => (w.case.id === f.case.id && w.ratedAt === null ? { ...w, ratedAt: f.at } : w));
    }
  }
  const forgetBefore = at - PRESS_AGE_LIMIT_MS;
  if (recent.length > RECENT_WINDOWS_KEPT || recent.some((w) => w.deadline <= forgetBefore)) {
    recent = recent.filter((w) => w.deadline > forgetBefore).slice(-RECENT_WINDOWS_KEPT);
  }
  return recent;
}

function withRecent(state: WindowState, recent: readonly PastRatingWindow[]): WindowState {
  if (state.recent === recent || (recent.length === 0 && state.recent === undefined)) return state;
  return { ...state, recent };
}

function withEffects(before: WindowState, after: WindowState, facts: Fact[], prompts: PromptKey[]): Transition {
  const effects: Effect[] = facts.map((fact) => ({ type: 'record', fact }));
  const was = keypadView(before);
  const now = keypadView(after);
  if (was.mode.mode !== now.mode.mode) effects.push({ type: 'keypad', command: now.mode });
  if (was.text !== now.text) effects.push({ type: 'keypad', command: { kind: 'text', line: 0, text: now.text } });
  for (const phrase of prompts) effects.push({ type: 'keypad', command: { kind: 'prompt', phrase } });
  return { state: after, effects };
}
