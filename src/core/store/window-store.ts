/**
 * The window's writes to SQLite. A transition's facts go in one transaction with their
 * outbox records and, for a key press, the press-journal seq they apply; the keypad's own
 * rows (its events, its faults) are read and written here too.
 */
import type { KeypadFault } from '../../shared/keypad';
import { StorageError, describeSqliteError } from '../errors';
import type { Fact } from '../lifecycle/types';
import { Outbox } from '../outbox/outbox';
import { unacknowledgedCount } from '../outbox/queue';
import type { Db } from './database';
import { FactWriter } from './facts';
import type { TerminalIdentity } from './terminal';

/** The last press-journal seq the database holds. */
export function appliedJournalSeq(db: Db): number {
  return db.prepare('SELECT applied_seq FROM press_journal WHERE id = 1').pluck().get() as number;
}

export class WindowStore {
  private readonly outbox: Outbox;
  private readonly writer: FactWriter;
  private readonly seenEvent;
  private readonly insertFault;
  private readonly setAppliedSeq;
  private readonly noteRepeat;
  /** Outbox records not yet acknowledged: counted once at start, then kept up to date as facts are written and the sync client reports. */
  unacknowledged: number;

  constructor(
    private readonly db: Db,
    terminal: TerminalIdentity,
    /** Told after every commit: the WAL checkpoint is scheduled from here. */
    private readonly afterCommit: () => void,
  ) {
    this.outbox = new Outbox(db, terminal.terminalId);
    this.writer = new FactWriter(db, this.outbox, () => terminal);
    this.seenEvent = db.prepare('SELECT press_id FROM device_events WHERE device_serial = ? AND event_id = ?').pluck();
    this.insertFault = db.prepare('INSERT INTO device_faults (device_serial, code, detail, reported_at) VALUES (?, ?, ?, ?)');
    this.setAppliedSeq = db.prepare('UPDATE press_journal SET applied_seq = ? WHERE id = 1');
    this.noteRepeat = db.prepare(`INSERT INTO keypad_resends (device_serial, resends, last_at) VALUES (?, 1, ?)
      ON CONFLICT (device_serial) DO UPDATE SET resends = resends + 1, last_at = max(last_at, excluded.last_at)`);
    this.unacknowledged = unacknowledgedCount(db);
  }

  /** The hash of the last outbox record: what ties a journaled press to this very database. */
  head(): string {
    return this.outbox.currentHead().hash;
  }

  /**
   * Writes the facts and their outbox records, and `journalSeq` as applied, all or nothing.
   * Throws StorageError when the disk refuses.
   */
  record(facts: readonly Fact[], journalSeq?: number): void {
    if (facts.length === 0 && journalSeq === undefined) return;
    try {
      this.db.transaction(() => {
        for (const fact of facts) this.writer.write(fact);
        if (journalSeq !== undefined) this.setAppliedSeq.run(journalSeq);
      })();
    } catch (err) {
      this.outbox.forgetHead();
      throw new StorageError(`could not save to the local database: ${describeSqliteError(err)}`, { cause: err });
    }
    this.unacknowledged += facts.length;
    this.afterCommit();
  }

  /** Journal entries up to `seq` are settled without being recorded here (set aside). Throws if the disk refuses. */
  setAppliedJournalSeq(seq: number): void {
    this.setAppliedSeq.run(seq);
  }

  /** Whether the keypad has sent this event before (a resend after a lost ACK). */
  seenBefore(deviceSerial: string, eventId: number): boolean {
    return this.seenEvent.get(deviceSerial, eventId) !== undefined;
  }

  /** Resends counted per keypad (link noise, not facts: no outbox record). */
  keypadRepeats(): Map<string, number> {
    const rows = this.db.prepare('SELECT device_serial, resends FROM keypad_resends').all() as { device_serial: string; resends: number }[];
    return new Map(rows.map((r) => [r.device_serial, r.resends]));
  }

  noteKeypadRepeat(deviceSerial: string, at: number): void {
    try {
      this.noteRepeat.run(deviceSerial, at);
    } catch (err) {
      throw new StorageError(`could not save to the local database: ${describeSqliteError(err)}`, { cause: err });
    }
  }

  recordFault(fault: KeypadFault): void {
    try {
      this.insertFault.run(fault.deviceSerial, fault.code, fault.detail, fault.at);
    } catch (err) {
      throw new StorageError(`could not record the keypad fault: ${describeSqliteError(err)}`, { cause: err });
    }
  }
}
