import type { CaseOutcome, MisuseCause, ReferralTarget } from '../../shared/domain';
import type { KeypadCommand } from '../../shared/keypad';
import type { RatingChannel } from '../../shared/channels';
import type { RatingLevel } from '../../shared/levels';
import type { RefusalFields, RefusalReason } from '../../shared/refusals';
import type { PhraseFills, PhraseKey, StaffPhraseKey } from '../../shared/phrases';

export interface LifecycleConfig {
  /** How long a finished case waits for the citizen's rating. */
  ratingWindowMs: number;
  /** How long a poor rating stays open for reasons and a callback number. */
  detailsWindowMs: number;
  /** How long the thanks screen shows after a rating. */
  thanksMs: number;
  /** How long the greeting shows before the screen switches to 请稍候. */
  greetingMs: number;
}

export const DEFAULT_LIFECYCLE: LifecycleConfig = {
  ratingWindowMs: 15_000,
  detailsWindowMs: 60_000,
  thanksMs: 4_000,
  greetingMs: 8_000,
};

export interface StaffOnDuty {
  staffNo: string;
  name: string;
  departmentCode: string | null;
  departmentName: string | null;
  sessionId: string;
  method: 'badge' | 'pin';
}

export interface CaseInfo {
  id: string;
  caseNo: string | null;
  ticketNo: string | null;
  itemCode: string;
  itemVersion: string;
  itemName: string;
  departmentCode: string | null;
  departmentName: string | null;
  openedAt: number;
  /** The centre's appointment the case was opened from (预约服务), when it was. */
  appointmentId?: string;
}

/** One press, from any channel. `repeat` is set when (device serial, event id) was seen before. */
export interface Press {
  id: string;
  level: RatingLevel | null;
  rawKey: number | null;
  channel: RatingChannel;
  deviceSerial: string | null;
  eventId: number | null;
  /** A resend of a press already recorded: link noise, not a citizen's action. Changes nothing. */
  repeat: boolean;
  /**
   * Set when the keypad said how long ago the key was pressed (CRK/1 §3.2): when the press
   * arrived. The event's `at` is then the moment it was made, and it is judged by that moment.
   */
  arrivedAt?: number;
}

/**
 * A finished case's rating window, remembered for as long as a keypad may hold a press
 * (its age saturates at 655.35 s), so a press that arrives late rates the case that was
 * waiting when it was made, even after that window has closed.
 */
export interface PastRatingWindow {
  case: CaseInfo;
  staffNo: string;
  staffName: string;
  invitedAt: number;
  deadline: number;
  /** When a rating was counted for it; null while it has none. */
  ratedAt: number | null;
}

export interface LastRating {
  id: string;
  caseId: string;
  level: RatingLevel;
  /** Poor ratings only: reasons and a callback number are taken until then. */
  detailsUntil: number | null;
  /** Poor ratings only: the latest typing can keep the reasons open (absent in states saved before typing could). */
  detailsLimit?: number | null;
}

interface Base {
  phrase: PhraseKey | null;
  /** The XX fill-ins of the phrase on screen, when it has any (A.1.1.3, A.1.1.4). */
  phraseFills?: PhraseFills | null;
  lastRating: LastRating | null;
  /** Recent rating windows, oldest first (kept by transition(), whatever the phase). */
  recent?: readonly PastRatingWindow[];
}

export type WindowState =
  | (Base & { phase: 'closed' })
  | (Base & { phase: 'idle'; staff: StaffOnDuty })
  | (Base & { phase: 'paused'; staff: StaffOnDuty; pause: { id: string; reason: string; since: number } })
  | (Base & { phase: 'serving'; staff: StaffOnDuty; case: CaseInfo; greetingUntil: number })
  | (Base & { phase: 'awaiting_rating'; staff: StaffOnDuty; case: CaseInfo; invitedAt: number; deadline: number })
  | (Base & { phase: 'thanks'; staff: StaffOnDuty; until: number });

export type MachineEvent =
  | { type: 'signIn'; at: number; staff: StaffOnDuty }
  | { type: 'signOut'; at: number }
  | { type: 'openCase'; at: number; case: CaseInfo }
  | ({ type: 'finishCase'; at: number; outcome: CaseOutcome; missingMaterials: string[]; afterHours: boolean } & CaseClosingNotes)
  | { type: 'pause'; at: number; pauseId: string; reason: string }
  | { type: 'resume'; at: number }
  | { type: 'press'; at: number; press: Press }
  | {
      type: 'addDetails';
      at: number;
      ratingId: string;
      reasonCodes: string[];
      comment: string | null;
      callbackPhone: string | null;
    }
  | { type: 'keepDetailsOpen'; at: number; ratingId: string }
  | { type: 'playPhrase'; at: number; phrase: StaffPhraseKey }
  | { type: 'tick'; at: number };

/** 首问负责 and 投诉: where the citizen was sent, and what a complaint is about (absent or null when none). */
export interface CaseClosingNotes {
  referral?: ReferralTarget | null;
  referralNote?: string | null;
  complaintSummary?: string | null;
}

/** A fact the core records durably, in the same transaction as its outbox record. */
export type Fact =
  | { kind: 'session_started'; at: number; sessionId: string; staffNo: string; staffName: string; method: 'badge' | 'pin' }
  | { kind: 'session_ended'; at: number; sessionId: string; staffNo: string }
  | { kind: 'pause_started'; at: number; pauseId: string; sessionId: string; staffNo: string; reason: string }
  | { kind: 'pause_ended'; at: number; pauseId: string; staffNo: string }
  | { kind: 'case_opened'; at: number; case: CaseInfo; staffNo: string; staffName: string; sessionId: string }
  | ({
      kind: 'case_closed';
      at: number;
      caseId: string;
      outcome: CaseOutcome;
      missingMaterials: string[];
      afterHours: boolean;
      ratingDeadline: number;
    } & CaseClosingNotes)
  | {
      kind: 'rating';
      at: number;
      ratingId: string;
      case: CaseInfo;
      staffNo: string;
      staffName: string;
      level: RatingLevel;
      rawKey: number | null;
      channel: RatingChannel;
      deviceSerial: string | null;
      eventId: number | null;
      invitedAt: number;
    }
  | { kind: 'case_unrated'; at: number; caseId: string; invitedAt: number; deadline: number }
  | {
      kind: 'misuse';
      at: number;
      pressId: string;
      cause: MisuseCause;
      level: RatingLevel | null;
      rawKey: number | null;
      channel: RatingChannel;
      deviceSerial: string | null;
      eventId: number | null;
      caseId: string | null;
    }
  | {
      kind: 'rating_details';
      at: number;
      ratingId: string;
      reasonCodes: string[];
      comment: string | null;
      callbackPhone: string | null;
    };

export type { KeypadCommand };

export type Effect = { type: 'record'; fact: Fact } | { type: 'keypad'; command: KeypadCommand };

export type Refusal = { code: 'not_allowed_now' | 'unknown_rating' | 'details_closed'; message: string; reason: RefusalReason; fields?: RefusalFields };

export interface Transition {
  state: WindowState;
  effects: Effect[];
  /** Set when the event was refused; the state is then unchanged and there are no effects. */
  refused?: Refusal;
}
