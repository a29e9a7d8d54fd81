/**
 * A key press on its way from the keypad to the database: what the press journal holds for
 * it, and what the lifecycle made of it.
 */
import type { PressReceipt } from '../shared/keypad';
import { StartupError } from './errors';
import type { MachineEvent, Transition } from './lifecycle/types';
import type { JournalEntry } from './store/press-journal';

export type PressEvent = Extract<MachineEvent, { type: 'press' }>;

/** A press made durable in the journal and acknowledged, not yet committed to the database. */
export interface JournaledPress {
  seq: number;
  event: PressEvent;
}

/**
 * What the journal holds for a press: the event, and the outbox head it was written against.
 * The head ties the entry to this very database: a copy restored from a backup has another
 * head, and the presses it lacks were recorded (and maybe sent) from the copy it replaced.
 */
export interface JournalRecord {
  after: string;
  event: PressEvent;
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
