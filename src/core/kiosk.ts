/**
 * The kiosk core: one service window's lifecycle over its SQLite store. It takes commands
 * (from any shell, through the contract) and key presses (from the keypad driver), runs
 * them through the pure lifecycle, writes the resulting facts and their outbox records in
 * one transaction, and only then tells the shells and the keypad what changed.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CITIZEN_COMMANDS,
  STAFF_COMMANDS,
  parseCommand,
  type CommandResult,
  type KioskError,
  type KioskEvent,
  type Snapshot,
  type SyncStatus,
  type TodayFigures,
} from '../shared/contract';
import { RATING_LEVELS, isPoor, type RatingLevel } from '../shared/levels';
import type { KeypadCommand, KeypadFault, KeypadHost, KeypadStatus, KeypadView, PressReceipt, PressReport } from '../shared/keypad';
import { loadConfig, type KioskConfig } from './config';
import { StorageError, describeSqliteError } from './errors';
import { INITIAL_STATE, keypadView, nextDeadline, staffOf, transition } from './lifecycle/machine';
import type { LifecycleConfig, MachineEvent, Press, Transition, WindowState } from './lifecycle/types';
import { Outbox, verifyChain, type ChainReport } from './outbox/outbox';
import { unacknowledgedCount } from './outbox/queue';
import { DATABASE_FILE, JOURNAL_FILE } from './paths';
import { checkpoint, openDatabase, type Db } from './store/database';
import { Directory } from './store/directory';
import { FactWriter } from './store/facts';
import { PressJournal } from './store/press-journal';
import { describeSetAside, journalRecordOf, misuseCauseOf, pressOutcome, type JournaledPress, type JournalRecord, type PressEvent } from './press-records';
import { Figures } from './store/figures';
import { CommandDesk } from './commands';
import { acquireLock } from './store/lock';
import { restoreState } from './store/restore';
import { ensureTerminal, type TerminalIdentity } from './store/terminal';
import { parseUtcOffset, startOfLocalDay, startOfLocalMonth, systemClock, type Clock } from './time';

export type CommandOrigin = 'staff' | 'citizen' | 'cli';

export interface KioskOpenOptions {
  dataDir: string;
  config?: KioskConfig;
  clock?: Clock;
  /** Who holds the data folder, for the message another process gets. */
  owner?: string;
  migrationsDir?: string;
}

const CHECKPOINT_AFTER_QUIET_MS = 2_000;
const CHECKPOINT_EVERY_COMMITS = 200;
const RETRY_STORE_MS = 1_000;

export class Kiosk implements KeypadHost {
  readonly directory: Directory;
  readonly terminal: TerminalIdentity;
  private state: WindowState = INITIAL_STATE;
  private keypad: KeypadStatus = { link: 'disabled', serial: null, detail: null };
  private sync: SyncStatus = { state: 'disabled', pending: 0, lastSuccessAt: null, progress: null, detail: null };
  /** Outbox records not yet acknowledged: counted once at start, then kept up to date as facts are written and the sync client reports. */
  private pending = 0;
  private readonly outbox: Outbox;
  private readonly writer: FactWriter;
  private readonly figures: Figures;
  private readonly commands: CommandDesk;
  private readonly lifecycle: LifecycleConfig;
  readonly utcOffsetMinutes: number;
  private readonly listeners = new Set<(event: KioskEvent) => void>();
  private readonly keypadListeners = new Set<(command: KeypadCommand) => void>();
  private readonly seenEvent;
  private readonly insertFault;
  private readonly setAppliedSeq;
  /** At most one: a press is committed before the next one is journaled. */
  private journaled: JournaledPress | null = null;
  private cancelRetryStore: (() => void) | null = null;
  private cancelTimer: (() => void) | null = null;
  private cancelCheckpoint: (() => void) | null = null;
  private commitsSinceCheckpoint = 0;
  private closed = false;

  static open(options: KioskOpenOptions): Kiosk {
    mkdirSync(options.dataDir, { recursive: true });
    const release = acquireLock(options.dataDir, options.owner ?? 'Cordial');
    try {
      const config = options.config ?? loadConfig(options.dataDir);
      const { db } = openDatabase(join(options.dataDir, DATABASE_FILE), { migrationsDir: options.migrationsDir });
      let journal: PressJournal;
      try {
        const applied = db.prepare('SELECT applied_seq FROM press_journal WHERE id = 1').pluck().get() as number;
        journal = PressJournal.open(join(options.dataDir, JOURNAL_FILE), applied);
      } catch (err) {
        db.close();
        throw err;
      }
      try {
        return new Kiosk(db, journal, config, options.clock ?? systemClock, release);
      } catch (err) {
        journal.close();
        db.close();
        throw err;
      }
    } catch (err) {
      release();
      throw err;
    }
  }

  private constructor(
    readonly db: Db,
    private readonly journal: PressJournal,
    readonly config: KioskConfig,
    private readonly clock: Clock,
    private readonly releaseLock: () => void,
  ) {
    this.lifecycle = {
      ratingWindowMs: config.rating.windowSeconds * 1000,
      detailsWindowMs: config.rating.detailsSeconds * 1000,
      thanksMs: config.rating.thanksSeconds * 1000,
      greetingMs: 8_000,
    };
    this.utcOffsetMinutes = parseUtcOffset(config.utcOffset);
    this.terminal = ensureTerminal(db, config.window, clock.now());
    this.outbox = new Outbox(db, this.terminal.terminalId);
    this.directory = new Directory(db);
    this.figures = new Figures(db);
    this.writer = new FactWriter(db, this.outbox, () => this.terminal);
    this.commands = new CommandDesk(this.directory, this.terminal, config, this.utcOffsetMinutes);
    this.seenEvent = db.prepare('SELECT press_id FROM device_events WHERE device_serial = ? AND event_id = ?').pluck();
    this.insertFault = db.prepare('INSERT INTO device_faults (device_serial, code, detail, reported_at) VALUES (?, ?, ?, ?)');
    this.setAppliedSeq = db.prepare('UPDATE press_journal SET applied_seq = ? WHERE id = 1');
    this.pending = unacknowledgedCount(db);
    this.state = restoreState(db, this.lifecycle);
    // A new file, yet the database had applied entries from one before.
    if (journal.created && journal.lastSeq > 0) {
      console.error(`Cordial: the press journal ${journal.file} was missing, though the database had used one; a new one was made`);
    }
    this.replayJournal();
    // Time passed while the process was down: a rating window that ran out becomes unrated now.
    this.apply({ type: 'tick', at: clock.now() });
  }

  // ---- commands -------------------------------------------------------------------

  execute(input: unknown, origin: CommandOrigin): CommandResult {
    const parsed = parseCommand(input);
    if (!parsed.ok) return parsed;
    const command = parsed.command;
    const allowed = origin === 'citizen' ? CITIZEN_COMMANDS : STAFF_COMMANDS;
    if (!allowed.includes(command.type)) {
      return fail('invalid_command', origin === 'citizen' ? 'the citizen screen cannot run the window' : 'staff cannot enter or change a rating');
    }
    let event: MachineEvent | KioskError;
    try {
      event = this.commands.toEvent(command, this.clock.now());
    } catch (err) {
      return fail('storage_failed', `could not read the local database: ${describeSqliteError(err)}`);
    }
    if ('code' in event) return { ok: false, error: event };
    try {
      const t = this.apply(event);
      if (t.refused) return { ok: false, error: t.refused };
    } catch (err) {
      if (err instanceof StorageError) return fail('storage_failed', `${err.message}; nothing was changed`);
      throw err;
    }
    return { ok: true, snapshot: this.snapshot() };
  }

  // ---- keypad (KeypadHost) --------------------------------------------------------

  /**
   * Durable when it returns: the press is in the journal, and the driver may ACK it. It is
   * committed to the database as a rating or misuse right after, once the ACK is on its way
   * (and before anything else touches the window). Throws StorageError, and so is not
   * acknowledged, when the press cannot be made durable or the one before it still cannot
   * be committed.
   */
  recordPress(report: PressReport): PressReceipt {
    this.storeJournaled();
    const press: Press =
      report.kind === 'key'
        ? {
            id: randomUUID(),
            level: this.levelForKey(report.key, report.keyCount),
            rawKey: report.key,
            channel: 'keypad',
            deviceSerial: report.deviceSerial,
            eventId: report.eventId,
            repeat: false,
          }
        : { id: randomUUID(), level: report.level, rawKey: report.rawByte, channel: 'legacy_keypad', deviceSerial: report.deviceSerial, eventId: null, repeat: false };
    if (press.eventId !== null) {
      const original = this.seenEvent.get(press.deviceSerial, press.eventId) as string | undefined;
      if (original !== undefined) press.repeat = true;
    }
    const event: PressEvent = { type: 'press', at: report.at, press };
    if (this.closed) throw new StorageError('the kiosk is closed');
    // The lifecycle is pure: what it makes of the press now is what the commit will record.
    const preview = transition(this.state, event, this.lifecycle);
    const record: JournalRecord = { after: this.outbox.currentHead().hash, event };
    const seq = this.journal.append(record);
    this.journaled = { seq, event };
    queueMicrotask(() => this.storeJournaledOrRetry());
    return { pressId: press.id, outcome: pressOutcome(preview), cause: misuseCauseOf(preview), repeat: press.repeat };
  }

  /**
   * At start: presses acknowledged just before the process ended and not yet in the database
   * are committed now, in order, at their own times, before anything else can happen. An
   * entry written against another outbox head belongs to another copy of the database (one
   * restored from a backup): it is set aside, named in the log, and never counted here.
   */
  private replayJournal(): void {
    const setAside: JournalRecord[] = [];
    for (const entry of this.journal.unapplied) {
      const record = journalRecordOf(entry);
      if (record.after !== this.outbox.currentHead().hash) {
        setAside.push(record);
        continue;
      }
      // If the disk refuses, start-up stops with the reason; the entry stays for the next start.
      this.apply(record.event, entry.seq);
    }
    if (setAside.length === 0) return;
    const last = this.journal.lastSeq;
    this.journal.markApplied(last);
    try {
      this.setAppliedSeq.run(last);
    } catch {
      // Not saved: the same entries are set aside again at the next start.
    }
    console.error(`Cordial: ${describeSetAside(setAside)}`);
  }

  /** Commits the acknowledged press (if any) to the database now. Throws StorageError if it cannot. */
  flushPresses(): void {
    this.storeJournaled();
  }

  private storeJournaled(): void {
    const journaled = this.journaled;
    if (!journaled) return;
    this.journaled = null;
    let t: Transition;
    try {
      t = this.apply(journaled.event, journaled.seq);
    } catch (err) {
      // Only if the commit itself failed: a listener failing after it must not store it twice.
      if (!this.journal.isSettled(journaled.seq)) this.journaled = journaled;
      throw err;
    }
    this.cancelRetryStore?.();
    this.cancelRetryStore = null;
    const { press, at } = journaled.event;
    this.publish({ type: 'press', outcome: pressOutcome(t), cause: misuseCauseOf(t), rawKey: press.rawKey, level: press.level, at });
  }

  /** After the ACK: commit the press; if the disk refuses, it stays in the journal and is tried again. */
  private storeJournaledOrRetry(): void {
    if (this.closed || !this.journaled) return;
    try {
      this.storeJournaled();
    } catch (err) {
      if (!this.journaled) {
        console.error(`Cordial: a press was stored, then: ${(err as Error).message}`);
        return;
      }
      console.error(`Cordial: an acknowledged press is kept in the press journal until it can be stored: ${(err as Error).message}`);
      this.retryStoreSoon();
    }
  }

  private retryStoreSoon(): void {
    this.cancelRetryStore?.();
    this.cancelRetryStore = this.clock.setTimer(this.clock.now() + RETRY_STORE_MS, () => {
      this.cancelRetryStore = null;
      this.storeJournaledOrRetry();
    });
  }

  /** Reads see every acknowledged press; if the disk still refuses one, they show the window as stored. */
  private storeJournaledForRead(): void {
    if (!this.journaled || this.closed) return;
    try {
      this.storeJournaled();
    } catch {
      // storeJournaledOrRetry keeps trying and says why.
    }
  }

  /** The installation's key map, or the standard layout (CRK/1 §5): key n is the n-th level. */
  levelForKey(key: number, keyCount: number | null): RatingLevel | null {
    if (this.config.keyMap) return this.config.keyMap[String(key)] ?? null;
    const keys = keyCount === 4 ? 4 : 5;
    return key >= 1 && key <= keys ? (RATING_LEVELS[key - 1] ?? null) : null;
  }

  /** Which key gives each level, for the citizen screen's key labels. */
  keysByLevel(): Partial<Record<RatingLevel, number>> {
    const keys: Partial<Record<RatingLevel, number>> = {};
    const count = this.config.keyMap ? Math.max(0, ...Object.keys(this.config.keyMap).map(Number)) : (this.keypad.keys ?? 5);
    for (let key = count; key >= 1; key--) {
      const level = this.levelForKey(key, this.keypad.keys ?? null);
      if (level) keys[level] = key;
    }
    return keys;
  }

  recordFault(fault: KeypadFault): void {
    try {
      this.insertFault.run(fault.deviceSerial, fault.code, fault.detail, fault.at);
    } catch (err) {
      throw new StorageError(`could not record the keypad fault: ${describeSqliteError(err)}`, { cause: err });
    }
  }

  setKeypadStatus(status: KeypadStatus): void {
    this.keypad = status;
    this.publishSnapshot();
  }

  /** The sync client reports here; the staff panel shows it. */
  setSyncStatus(status: SyncStatus): void {
    this.sync = status;
    this.pending = status.pending;
    this.publishSnapshot();
  }

  keypadView(): KeypadView {
    this.storeJournaledForRead();
    const view = keypadView(this.state);
    return { mode: view.mode.mode, text: view.text };
  }

  onKeypadCommand(listener: (command: KeypadCommand) => void): () => void {
    this.keypadListeners.add(listener);
    return () => this.keypadListeners.delete(listener);
  }

  // ---- state out --------------------------------------------------------------------

  subscribe(listener: (event: KioskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): Snapshot {
    this.storeJournaledForRead();
    const s = this.state;
    const at = this.clock.now();
    const staff = staffOf(s);
    const record = staff ? this.directory.staffByNo(staff.staffNo) : undefined;
    return {
      at,
      phase: s.phase,
      window: { terminalId: this.terminal.terminalId, windowNo: this.terminal.windowNo, departmentName: this.terminal.departmentName },
      staff: staff
        ? {
            staffNo: staff.staffNo,
            name: staff.name,
            photo: record?.photo ?? null,
            departmentName: staff.departmentName,
            monthSatisfaction: this.figures.monthSatisfaction(staff.staffNo, startOfLocalMonth(at, this.utcOffsetMinutes)),
          }
        : null,
      pause: s.phase === 'paused' ? { reason: s.pause.reason, since: s.pause.since } : null,
      case:
        s.phase === 'serving' || s.phase === 'awaiting_rating'
          ? { id: s.case.id, itemCode: s.case.itemCode, itemName: s.case.itemName, caseNo: s.case.caseNo, ticketNo: s.case.ticketNo, openedAt: s.case.openedAt }
          : null,
      rating: s.phase === 'awaiting_rating' ? { deadline: s.deadline } : null,
      lastRating: s.phase === 'thanks' && s.lastRating ? { ...s.lastRating, poor: isPoor(s.lastRating.level) } : null,
      phrase: s.phrase,
      keypad: this.keypad,
      display: { language: this.config.language, keys: this.keysByLevel() },
      sync: { ...this.sync, pending: this.pending },
    };
  }

  today(): TodayFigures {
    this.storeJournaledForRead();
    return this.figures.todayAt(startOfLocalDay(this.clock.now(), this.utcOffsetMinutes));
  }

  verify(): ChainReport {
    this.storeJournaledForRead();
    return verifyChain(this.db);
  }

  /** Facts the centre has not acknowledged yet (records carried into a new epoch count once). */
  pendingOutbox(): number {
    return this.pending;
  }

  close(): void {
    if (this.closed) return;
    // A press the disk still refuses stays in the journal; the next start stores it.
    this.storeJournaledForRead();
    this.closed = true;
    this.cancelTimer?.();
    this.cancelCheckpoint?.();
    this.cancelRetryStore?.();
    this.listeners.clear();
    this.keypadListeners.clear();
    this.journal.close();
    this.db.close();
    this.releaseLock();
  }

  // ---- the one place state changes --------------------------------------------------

  /** `journalSeq`: the event is that journaled press, and the commit records it as applied. */
  private apply(event: MachineEvent, journalSeq?: number): Transition {
    if (this.closed) throw new StorageError('the kiosk is closed');
    // An acknowledged press comes first: nothing may overtake it.
    if (journalSeq === undefined) this.storeJournaled();
    const t = transition(this.state, event, this.lifecycle);
    const facts = t.effects.flatMap((e) => (e.type === 'record' ? [e.fact] : []));
    if (facts.length > 0 || journalSeq !== undefined) {
      try {
        this.db.transaction(() => {
          for (const fact of facts) this.writer.write(fact);
          if (journalSeq !== undefined) this.setAppliedSeq.run(journalSeq);
        })();
      } catch (err) {
        this.outbox.forgetHead();
        throw new StorageError(`could not save to the local database: ${describeSqliteError(err)}`, { cause: err });
      }
      if (journalSeq !== undefined) {
        this.journal.markApplied(journalSeq);
        this.journal.markCommitted(journalSeq);
      }
      this.pending += facts.length;
      this.checkpointSoon();
    }
    const changed = t.state !== this.state;
    this.state = t.state;
    for (const e of t.effects) if (e.type === 'keypad') for (const l of this.keypadListeners) tell(l, e.command);
    this.schedule();
    if (changed) this.publishSnapshot();
    return t;
  }

  private schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    const due = nextDeadline(this.state);
    if (due === null) return;
    this.cancelTimer = this.clock.setTimer(due, () => {
      if (this.closed) return;
      try {
        this.apply({ type: 'tick', at: Math.max(due, this.clock.now()) });
      } catch (err) {
        // The disk refused (full?): the facts stay pending in the lifecycle; try again shortly.
        console.error(`Cordial: ${(err as Error).message}`);
        this.cancelTimer = this.clock.setTimer(this.clock.now() + 1000, () => this.schedule());
      }
    });
  }

  /**
   * Checkpoints off the path of any key press: when the window has been quiet for a
   * moment, or, under a steady stream, every few hundred commits on the next turn of the
   * event loop, after the press being handled has been acknowledged. A short WAL is also
   * a fast one: once checkpointed it is rewritten in place instead of growing.
   */
  private checkpointSoon(): void {
    this.commitsSinceCheckpoint += 1;
    const now = this.clock.now();
    const due = this.commitsSinceCheckpoint >= CHECKPOINT_EVERY_COMMITS ? now : now + CHECKPOINT_AFTER_QUIET_MS;
    this.cancelCheckpoint?.();
    this.cancelCheckpoint = this.clock.setTimer(due, () => {
      this.cancelCheckpoint = null;
      if (this.closed) return;
      try {
        checkpoint(this.db);
        this.commitsSinceCheckpoint = 0;
      } catch (err) {
        console.error(`Cordial: checkpoint deferred: ${describeSqliteError(err)}`);
      }
    });
  }

  private publishSnapshot(): void {
    if (this.listeners.size === 0) return;
    this.publish({ type: 'snapshot', snapshot: this.snapshot() });
  }

  private publish(event: KioskEvent): void {
    for (const l of this.listeners) tell(l, event);
  }
}

/** What is stored is stored: a listener that fails (a closed window, a dead port) is logged, and the others still hear. */
function tell<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (err) {
    console.error(`Cordial: a listener failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function fail(code: KioskError['code'], message: string): CommandResult {
  return { ok: false, error: { code, message } };
}
