/**
 * The kiosk core: one service window's lifecycle over its SQLite store. It takes commands
 * (from any shell, through the contract) and key presses (from the keypad driver), runs
 * them through the pure lifecycle, has the facts and their outbox records written in one
 * transaction, and only then tells the shells and the keypad what changed.
 *
 * A key press goes one way: driver → here → press journal (press-durability.ts) → store
 * (store/window-store.ts) → outbox. Reads only read, and show the window as stored: a press
 * waiting for its commit is stored by the path that journaled it, or first thing by
 * whatever would change the window next.
 */
import type { CommandResult, KioskError, KioskEvent, Snapshot, SpeechState, SyncStatus, TodayFigures } from '../shared/contract';
import type { KeypadCommand, KeypadFault, KeypadHost, KeypadStatus, KeypadView, PressReceipt, PressReport } from '../shared/keypad';
import type { RatingLevel } from '../shared/levels';
import { refusal } from '../shared/refusals';
import type { LeaveSuggestion } from '../shared/suggestions';
import { CheckpointSchedule } from './checkpoints';
import { authorise, type CommandOrigin } from './command-authority';
import { CommandDesk } from './commands';
import type { KioskConfig } from './config';
import { openDataFolder, type DataFolder, type DataFolderOptions } from './data-folder';
import { StorageError, describeSqliteError, storageCauseOf } from './errors';
import { keysByLevel, levelForKey, pressOf } from './keypad-policy';
import { INITIAL_STATE, keypadView, nextDeadline, transition } from './lifecycle/machine';
import type { LifecycleConfig, MachineEvent, Transition, WindowState } from './lifecycle/types';
import { Listeners } from './listeners';
import { consoleLog, type Log } from './log';
import { verifyChain, type ChainReport } from './outbox/outbox';
import { PressDurability, misuseCauseOf, pressOutcome, type PressEvent } from './press-durability';
import { projectSnapshot } from './snapshot';
import { afterPrompts, promptsOf, speakerFor } from './speech';
import type { Db } from './store/database';
import { appointmentsOn, type AppointmentAtWindow } from './store/appointments';
import { Directory } from './store/directory';
import { Figures } from './store/figures';
import { restoreState } from './store/restore';
import { ensureTerminal, type TerminalIdentity } from './store/terminal';
import { WindowStore } from './store/window-store';
import { recordSuggestion } from './suggestions';
import { localParts, parseUtcOffset, startOfLocalDay, systemClock, type Clock } from './time';

export type { CommandOrigin } from './command-authority';

export interface KioskOpenOptions extends DataFolderOptions {
  clock?: Clock;
  /** Where the core's own log lines go (cordial.log in the running kiosk). */
  log?: Log;
}

/** A deadline whose facts the disk refused is tried again this much later. */
const RETRY_DEADLINE_MS = 1_000;

export class Kiosk implements KeypadHost {
  readonly directory: Directory;
  readonly terminal: TerminalIdentity;
  readonly utcOffsetMinutes: number;
  readonly db: Db;
  readonly config: KioskConfig;
  private state: WindowState = INITIAL_STATE;
  private keypad: KeypadStatus = { link: 'disabled', serial: null, detail: null };
  private sync: SyncStatus = { state: 'disabled', pending: 0, lastSuccessAt: null, progress: null, detail: null };
  private speech: SpeechState;
  private readonly firstSpeechSeq: number;
  private readonly lifecycle: LifecycleConfig;
  private readonly store: WindowStore;
  private readonly presses: PressDurability;
  private readonly checkpoints: CheckpointSchedule;
  private readonly figures: Figures;
  private readonly commands: CommandDesk;
  private readonly listeners: Listeners<KioskEvent>;
  private readonly keypadListeners: Listeners<KeypadCommand>;
  private cancelDeadline: (() => void) | null = null;
  private closed = false;
  private readonly repeats: Map<string, number>;

  static open(options: KioskOpenOptions): Kiosk {
    const folder = openDataFolder(options);
    try {
      return new Kiosk(folder, options.clock ?? systemClock, options.log ?? consoleLog);
    } catch (err) {
      folder.close();
      throw err;
    }
  }

  private constructor(
    private readonly folder: DataFolder,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {
    const { db, config } = folder;
    this.db = db;
    this.config = config;
    this.lifecycle = {
      ratingWindowMs: config.rating.windowSeconds * 1000,
      detailsWindowMs: config.rating.detailsSeconds * 1000,
      thanksMs: config.rating.thanksSeconds * 1000,
      greetingMs: 8_000,
    };
    this.utcOffsetMinutes = parseUtcOffset(config.utcOffset);
    this.terminal = ensureTerminal(db, config.window, clock.now());
    this.directory = new Directory(db);
    this.figures = new Figures(db);
    this.commands = new CommandDesk(this.directory, this.terminal, config, this.utcOffsetMinutes);
    this.listeners = new Listeners(log);
    this.keypadListeners = new Listeners(log);
    this.checkpoints = new CheckpointSchedule(db, clock, log);
    this.store = new WindowStore(db, this.terminal, () => this.checkpoints.afterCommit());
    this.presses = new PressDurability(folder.journal, this.store, {
      preview: (events) => this.previewPresses(events),
      stored: (events, transitions) => events.forEach((event, i) => this.pressStored(event, transitions[i]!)),
    }, clock, log);
    this.repeats = this.store.keypadRepeats();
    this.firstSpeechSeq = clock.now();
    this.speech = { by: speakerFor(this.keypad, config.speech), volume: config.speech.volume, last: null };
    this.state = restoreState(db, this.lifecycle);
    this.presses.recoverJournal();
    // Time passed while the process was down: a rating window that ran out becomes unrated now.
    this.apply({ type: 'tick', at: clock.now() });
  }

  // ---- commands -------------------------------------------------------------------

  execute(input: unknown, origin: CommandOrigin): CommandResult {
    const authorised = authorise(input, origin);
    if (!authorised.ok) return authorised;
    if (authorised.command.type === 'leaveSuggestion') return this.leaveSuggestion(authorised.command);
    let event: MachineEvent | KioskError;
    try {
      event = this.commands.toEvent(authorised.command, this.clock.now());
    } catch (err) {
      return storageFailed(`could not read the local database: ${describeSqliteError(err)}`, err);
    }
    if ('code' in event) return { ok: false, error: event };
    try {
      const t = this.apply(event);
      if (t.refused) return { ok: false, error: t.refused };
    } catch (err) {
      if (err instanceof StorageError) return storageFailed(`${err.message}; nothing was changed`, err);
      throw err;
    }
    return { ok: true, snapshot: this.snapshot() };
  }

  /** 意见簿: not part of the window's lifecycle; recorded once per id, after any press waiting (src/core/suggestions.ts). */
  private leaveSuggestion(command: LeaveSuggestion): CommandResult {
    try {
      this.mustBeOpen();
      this.presses.storeWaiting();
      const result = recordSuggestion(this.db, this.terminal, command, this.clock.now());
      if (!result.ok) return result;
      if (result.recorded) {
        this.store.unacknowledged += 1;
        this.checkpoints.afterCommit();
      }
    } catch (err) {
      if (err instanceof StorageError) return storageFailed(`${err.message}; nothing was changed`, err);
      return storageFailed(`could not save the suggestion: ${describeSqliteError(err)}; nothing was changed`, err);
    }
    return { ok: true, snapshot: this.snapshot() };
  }

  // ---- keypad (KeypadHost) --------------------------------------------------------

  /**
   * Durable when it returns: the press is in the journal, and the driver may ACK it. It is
   * committed to the database right after (see press-durability.ts). Throws StorageError,
   * and so is not acknowledged, when the press cannot be made durable or the one before it
   * still cannot be stored.
   */
  recordPress(report: PressReport): PressReceipt {
    return this.recordPresses([report])[0]!;
  }

  /**
   * Presses that arrived together: durable together, with one journal write, when it returns;
   * committed together right after. A resend of a press recorded before (or earlier in the
   * same group) is acknowledged and only counted as link noise for its keypad.
   */
  recordPresses(reports: readonly PressReport[]): PressReceipt[] {
    this.mustBeOpen();
    const receipts = this.presses.journalPresses(() => {
      const inGroup = new Set<string>();
      const seenBefore = (serial: string, eventId: number) => {
        const key = `${serial}\u0000${eventId}`;
        const seen = inGroup.has(key) || this.store.seenBefore(serial, eventId);
        inGroup.add(key);
        return seen;
      };
      return reports.map((report) => ({ type: 'press', at: pressedAt(report), press: pressOf(report, this.config.keyMap, seenBefore) }));
    });
    receipts.forEach((receipt, i) => {
      if (receipt.outcome === 'repeat') this.repeatArrived(reports[i]!);
    });
    return receipts;
  }

  /** Resends each keypad delivered of presses already recorded, by device serial: link noise, for diagnostics. */
  keypadRepeats(): Record<string, number> {
    return Object.fromEntries(this.repeats);
  }

  /** Commits the acknowledged press (if any) to the database now. Throws StorageError if it cannot. */
  flushPresses(): void {
    this.mustBeOpen();
    this.presses.storeWaiting();
  }

  levelForKey(key: number, keyCount: number | null): RatingLevel | null {
    return levelForKey(this.config.keyMap, key, keyCount);
  }

  keysByLevel(): Partial<Record<RatingLevel, number>> {
    return keysByLevel(this.config.keyMap, this.keypad.keys ?? null);
  }

  recordFault(fault: KeypadFault): void {
    this.store.recordFault(fault);
  }

  setKeypadStatus(status: KeypadStatus): void {
    this.keypad = status;
    this.speech = { ...this.speech, by: speakerFor(status, this.config.speech) };
    this.publishSnapshot();
  }

  /** The sync client reports here; the staff panel shows it. */
  setSyncStatus(status: SyncStatus): void {
    this.sync = status;
    this.store.unacknowledged = status.pending;
    this.publishSnapshot();
  }

  keypadView(): KeypadView {
    const view = keypadView(this.state);
    return { mode: view.mode.mode, text: view.text };
  }

  onKeypadCommand(listener: (command: KeypadCommand) => void): () => void {
    return this.keypadListeners.add(listener);
  }

  // ---- state out (reads) ----------------------------------------------------------

  subscribe(listener: (event: KioskEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  snapshot(): Snapshot {
    return projectSnapshot({
      at: this.clock.now(),
      state: this.state,
      terminal: this.terminal,
      directory: this.directory,
      figures: this.figures,
      utcOffsetMinutes: this.utcOffsetMinutes,
      language: this.config.language,
      keys: this.keysByLevel(),
      keypad: this.keypad,
      sync: { ...this.sync, pending: this.store.unacknowledged },
      speech: this.speech,
    });
  }

  today(): TodayFigures {
    return this.figures.todayAt(startOfLocalDay(this.clock.now(), this.utcOffsetMinutes));
  }

  /** 预约服务: today's appointments booked at this window, from the last config kept. */
  appointmentsToday(): AppointmentAtWindow[] {
    const now = this.clock.now();
    const p = localParts(now, this.utcOffsetMinutes);
    const date = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    return appointmentsOn(this.db, date, startOfLocalDay(now, this.utcOffsetMinutes));
  }

  verify(): ChainReport {
    return verifyChain(this.db);
  }

  /** Facts the centre has not acknowledged yet (records carried into a new epoch count once). */
  pendingOutbox(): number {
    return this.store.unacknowledged;
  }

  close(): void {
    if (this.closed) return;
    this.presses.close();
    this.closed = true;
    this.cancelDeadline?.();
    this.checkpoints.stop();
    this.listeners.clear();
    this.keypadListeners.clear();
    this.folder.close();
  }

  // ---- the one place state changes --------------------------------------------------

  /** A command or a deadline. An acknowledged press comes first: nothing may overtake it. */
  private apply(event: MachineEvent): Transition {
    this.mustBeOpen();
    this.presses.storeWaiting();
    const t = transition(this.state, event, this.lifecycle);
    this.store.record(t.effects.flatMap((e) => (e.type === 'record' ? [e.fact] : [])));
    this.enter(t);
    return t;
  }

  /** What the lifecycle makes of presses, each from the state the one before it leaves. */
  private previewPresses(events: readonly PressEvent[]): Transition[] {
    let state = this.state;
    return events.map((event) => {
      const t = transition(state, event, this.lifecycle);
      state = t.state;
      return t;
    });
  }

  /** A resend: no fact, no case, no outbox record; counted per keypad, written in the log, shown in the keypad test. */
  private repeatArrived(report: PressReport): void {
    const serial = report.deviceSerial;
    const count = (this.repeats.get(serial) ?? 0) + 1;
    this.repeats.set(serial, count);
    const eventId = report.kind === 'key' ? report.eventId : null;
    this.log.info(`keypad ${serial} sent event ${eventId ?? '-'} again, already recorded: acknowledged again, not counted (${count} resend(s) from it)`);
    this.listeners.tell({ type: 'press', outcome: 'repeat', cause: 'repeat_event', rawKey: report.kind === 'key' ? report.key : report.rawByte, level: null, at: report.at });
    // After the ACK: the count is diagnostics, never worth delaying a keypad for.
    queueMicrotask(() => {
      if (this.closed) return;
      try {
        this.store.noteKeypadRepeat(serial, report.at);
      } catch (err) {
        this.log.warn(`could not save the resend count of keypad ${serial}: ${(err as Error).message}`);
      }
    });
  }

  private pressStored(event: PressEvent, t: Transition): void {
    this.enter(t);
    const { press, at } = event;
    this.listeners.tell({ type: 'press', outcome: pressOutcome(t), cause: misuseCauseOf(t), rawKey: press.rawKey, level: press.level, at });
  }

  /** The transition's facts are stored: the window moves on, and the keypad and the shells hear it. */
  private enter(t: Transition): void {
    const changed = t.state !== this.state;
    this.state = t.state;
    const speech = this.speech;
    this.speech = afterPrompts(speech, promptsOf(t.effects), this.clock.now(), this.firstSpeechSeq);
    for (const e of t.effects) if (e.type === 'keypad') this.keypadListeners.tell(e.command);
    this.scheduleDeadline();
    if (changed || this.speech !== speech) this.publishSnapshot();
  }

  private scheduleDeadline(): void {
    this.cancelDeadline?.();
    this.cancelDeadline = null;
    const due = nextDeadline(this.state);
    if (due === null) return;
    this.cancelDeadline = this.clock.setTimer(due, () => {
      if (this.closed) return;
      try {
        this.apply({ type: 'tick', at: Math.max(due, this.clock.now()) });
      } catch (err) {
        // The disk refused (full?): the facts stay pending in the lifecycle; try again shortly.
        this.log.error((err as Error).message);
        this.cancelDeadline = this.clock.setTimer(this.clock.now() + RETRY_DEADLINE_MS, () => this.scheduleDeadline());
      }
    });
  }

  private publishSnapshot(): void {
    if (this.listeners.size === 0) return;
    this.listeners.tell({ type: 'snapshot', snapshot: this.snapshot() });
  }

  private mustBeOpen(): void {
    if (this.closed) throw new StorageError('the kiosk is closed', { storageCause: 'closed' });
  }
}

/** CRK/1 §3.2: a press that says its age was made that long before it arrived. */
function pressedAt(report: PressReport): number {
  return report.kind === 'key' && report.ageMs != null ? report.at - report.ageMs : report.at;
}

/** A write or read that failed: nothing was changed, and the screens say why from the cause's code. */
function storageFailed(message: string, err: unknown): CommandResult {
  return { ok: false, error: refusal('storage_failed', 'storage_failed', message, { cause: storageCauseOf(err) }) };
}
