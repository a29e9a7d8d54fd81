/**
 * The press-durability rule, in one place. CRK/1 lets a keypad forget a press once it is
 * acknowledged, so:
 *   1. a press is written to the press journal, against the outbox head, before the ACK;
 *   2. right after the ACK it is committed to the database, in one transaction with the
 *      journal seq it applies, and only then marked committed in its slot;
 *   3. nothing else changes the window while a press waits: whatever would, stores it first;
 *   4. if the disk refuses, the press waits in the journal, is tried again every second, and
 *      the next press is refused (not acknowledged) until it is stored;
 *   5. at start, what the journal holds beyond the database is committed first, in order, at
 *      its own time; an entry written against another outbox head belongs to another copy
 *      of the database (one restored from a backup) and is set aside, named in the log.
 */
import type { PressReceipt } from '../shared/keypad';
import { StartupError } from './errors';
import type { MachineEvent, Transition } from './lifecycle/types';
import type { Log } from './log';
import type { JournalEntry, PressJournal } from './store/press-journal';
import type { WindowStore } from './store/window-store';
import type { Clock } from './time';

const RETRY_STORE_MS = 1_000;

export type PressEvent = Extract<MachineEvent, { type: 'press' }>;

/**
 * What the journal holds for a press: the event, and the outbox head it was written against.
 * The head ties the entry to this very database: a copy restored from a backup has another
 * head, and the presses it lacks were recorded (and maybe sent) from the copy it replaced.
 */
export interface JournalRecord {
  after: string;
  event: PressEvent;
}

/** The window the presses are made at. */
export interface PressWindow {
  /** What the lifecycle makes of the press in the window's state now (pure: nothing changes). */
  preview(event: PressEvent): Transition;
  /** The press and its facts are in the database: the window moves on to `t.state`. */
  stored(event: PressEvent, t: Transition): void;
}

/** Acknowledged, in the journal, not yet in the database. */
interface WaitingPress {
  seq: number;
  event: PressEvent;
}

export class PressDurability {
  /** At most one: a press is stored before the next one is journaled. */
  private waiting: WaitingPress | null = null;
  private cancelRetry: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly journal: PressJournal,
    private readonly store: WindowStore,
    private readonly window: PressWindow,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  /** At start, before anything else happens at the window (rule 5). Throws if the disk refuses: the entries stay for the next start. */
  recoverJournal(): void {
    // A new file, yet the database had applied entries from one before.
    if (this.journal.created && this.journal.lastSeq > 0) {
      this.log.warn(`the press journal ${this.journal.file} was missing, though the database had used one; a new one was made`);
    }
    const setAside: JournalRecord[] = [];
    for (const entry of this.journal.unapplied) {
      const record = journalRecordOf(entry);
      if (record.after !== this.store.head()) setAside.push(record);
      else this.commit(entry.seq, record.event);
    }
    if (setAside.length === 0) return;
    const last = this.journal.lastSeq;
    this.journal.markApplied(last);
    try {
      this.store.setAppliedJournalSeq(last);
    } catch {
      // Not saved: the same entries are set aside again at the next start.
    }
    this.log.error(describeSetAside(setAside));
  }

  /**
   * Makes the press durable (rule 1) and returns what it will be recorded as; the caller may
   * acknowledge it. The commit follows on the next microtask, once the ACK is on its way.
   * Throws StorageError, and so is not acknowledged, when the press cannot be journaled or
   * the one before it still cannot be stored.
   */
  journalPress(pressEvent: () => PressEvent): PressReceipt {
    this.storeWaiting();
    // Made only now, with the press before it stored, so a resend of that one is seen as a repeat.
    const event = pressEvent();
    // The lifecycle is pure: what it makes of the press now is what the commit will record.
    const preview = this.window.preview(event);
    const record: JournalRecord = { after: this.store.head(), event };
    const seq = this.journal.append(record);
    this.waiting = { seq, event };
    queueMicrotask(() => this.storeAfterAck());
    return { pressId: event.press.id, outcome: pressOutcome(preview), cause: misuseCauseOf(preview), repeat: event.press.repeat };
  }

  /** Rule 3: stores the waiting press (if any) now. Throws StorageError if it cannot. */
  storeWaiting(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    try {
      this.commit(waiting.seq, waiting.event);
    } catch (err) {
      // Only if the commit itself failed: a failure after it must not store the press twice.
      if (!this.journal.isSettled(waiting.seq)) this.waiting = waiting;
      throw err;
    }
    this.cancelRetry?.();
    this.cancelRetry = null;
  }

  /** Stores what it can before the kiosk closes; a press the disk still refuses stays in the journal for the next start. */
  close(): void {
    if (this.closed) return;
    try {
      this.storeWaiting();
    } catch {
      // storeAfterAck already said why.
    }
    this.closed = true;
    this.cancelRetry?.();
    this.cancelRetry = null;
  }

  /** Rule 2. */
  private commit(seq: number, event: PressEvent): void {
    const t = this.window.preview(event);
    this.store.record(t.effects.flatMap((e) => (e.type === 'record' ? [e.fact] : [])), seq);
    this.journal.markApplied(seq);
    this.journal.markCommitted(seq);
    this.window.stored(event, t);
  }

  /** Rule 4. */
  private storeAfterAck(): void {
    if (this.closed || !this.waiting) return;
    try {
      this.storeWaiting();
    } catch (err) {
      if (!this.waiting) {
        this.log.error(`a press was stored, then: ${(err as Error).message}`);
        return;
      }
      this.log.error(`an acknowledged press is kept in the press journal until it can be stored: ${(err as Error).message}`);
      this.cancelRetry?.();
      this.cancelRetry = this.clock.setTimer(this.clock.now() + RETRY_STORE_MS, () => {
        this.cancelRetry = null;
        this.storeAfterAck();
      });
    }
  }
}

/** A journal entry back as the record it was written from. */
export function journalRecordOf(entry: JournalEntry): JournalRecord {
  const r = entry.value as Partial<JournalRecord> | null;
  const e = r?.event;
  const p = e?.press;
  if (typeof r?.after !== 'string' || e?.type !== 'press' || typeof e.at !== 'number' || !p || typeof p.id !== 'string' || typeof p.deviceSerial !== 'string' || typeof p.repeat !== 'boolean') {
    throw new StartupError('journal_unreadable', `the press journal holds an entry (seq ${entry.seq}) this version of Cordial cannot read; keep the data folder as it is and contact IT`);
  }
  return r as JournalRecord;
}

/** The start-up log line naming presses that belong to another copy of the database. */
export function describeSetAside(records: readonly JournalRecord[]): string {
  const named = records.map(({ event: { at, press } }) => `${press.deviceSerial} event ${press.eventId ?? '-'} key ${press.rawKey} at ${new Date(at).toISOString()}`);
  return (
    `the press journal holds ${records.length} press(es) written against another copy of the database (restored from a backup?); ` +
    `they are not counted in this one: ${named.join('; ')}`
  );
}

export function pressOutcome(t: Transition): PressReceipt['outcome'] {
  return t.effects.some((e) => e.type === 'record' && e.fact.kind === 'rating') ? 'rating' : 'misuse';
}

export function misuseCauseOf(t: Transition) {
  for (const e of t.effects) if (e.type === 'record' && e.fact.kind === 'misuse') return e.fact.cause;
  return null;
}
