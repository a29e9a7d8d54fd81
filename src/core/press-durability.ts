/**
 * The press-durability rule, in one place. CRK/1 lets a keypad forget a press once it is
 * acknowledged, so:
 *   1. a press is written to the press journal, against the outbox head, before the ACK;
 *      presses that arrived together share one journal write and, later, one transaction;
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
  /** What the lifecycle makes of the presses, one after the other, from the window's state now (pure: nothing changes). */
  preview(events: readonly PressEvent[]): Transition[];
  /** The presses and their facts are in the database: the window moves on through each `t.state`. */
  stored(events: readonly PressEvent[], transitions: readonly Transition[]): void;
}

/** Acknowledged, in the journal, not yet in the database: presses that arrived together. */
interface WaitingPresses {
  seqs: number[];
  events: PressEvent[];
}

export class PressDurability {
  /** At most one group: a group is stored before the next one is journaled. */
  private waiting: WaitingPresses | null = null;
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
    // Presses journaled together share the head they were written against: they are stored together again.
    const groups: { after: string; seqs: number[]; events: PressEvent[] }[] = [];
    for (const entry of this.journal.unapplied) {
      const record = journalRecordOf(entry);
      const last = groups.at(-1);
      if (last && last.after === record.after) {
        last.seqs.push(entry.seq);
        last.events.push(record.event);
      } else {
        groups.push({ after: record.after, seqs: [entry.seq], events: [record.event] });
      }
    }
    for (const group of groups) {
      if (group.after !== this.store.head()) setAside.push(...group.events.map((event) => ({ after: group.after, event })));
      else this.commit(group);
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
   * Makes the presses durable together (rule 1: one journal write for all of them) and
   * returns, in order, what each will be recorded as; the caller may acknowledge them all.
   * A repeat (a resend of a press recorded before) is not journaled: it is acknowledged and
   * counts for nothing. The commit follows on the next microtask, once the ACKs are on their
   * way, in one transaction. Throws StorageError, and so none is acknowledged, when they
   * cannot be journaled or the presses before them still cannot be stored.
   */
  journalPresses(pressEvents: () => PressEvent[]): PressReceipt[] {
    this.storeWaiting();
    // Made only now, with the presses before them stored, so a resend of one of those is seen as a repeat.
    const events = pressEvents();
    const fresh = events.filter((e) => !e.press.repeat);
    // The lifecycle is pure: what it makes of the presses now is what the commit will record.
    const previews = new Map(this.window.preview(fresh).map((t, i) => [fresh[i]!, t]));
    if (fresh.length > 0) {
      const after = this.store.head();
      const seqs = this.journal.appendMany(fresh.map((event): JournalRecord => ({ after, event })));
      this.waiting = { seqs, events: fresh };
      queueMicrotask(() => this.storeAfterAck());
    }
    return events.map((event) => {
      const t = previews.get(event);
      if (!t) return { pressId: event.press.id, outcome: 'repeat', cause: null, repeat: true };
      return { pressId: event.press.id, outcome: pressOutcome(t), cause: misuseCauseOf(t), repeat: false };
    });
  }

  /** Rule 3: stores the waiting presses (if any) now. Throws StorageError if it cannot. */
  storeWaiting(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    try {
      this.commit(waiting);
    } catch (err) {
      // Only if the commit itself failed: a failure after it must not store the presses twice.
      if (!this.journal.isSettled(waiting.seqs.at(-1)!)) this.waiting = waiting;
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

  /** Rule 2, for presses that were journaled together: one transaction. */
  private commit({ seqs, events }: WaitingPresses): void {
    const transitions = this.window.preview(events);
    const last = seqs.at(-1)!;
    this.store.record(transitions.flatMap((t) => t.effects.flatMap((e) => (e.type === 'record' ? [e.fact] : []))), last);
    this.journal.markApplied(last);
    for (const seq of seqs) this.journal.markCommitted(seq);
    this.window.stored(events, transitions);
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
      const n = this.waiting.events.length;
      const what = n === 1 ? 'an acknowledged press is kept in the press journal until it can be stored' : `${n} acknowledged presses are kept in the press journal until they can be stored`;
      this.log.error(`${what}: ${(err as Error).message}`);
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
