/**
 * A KeypadHost for driver tests: it keeps presses in memory, counts each (serial, event id) once
 * the way the kiosk's store does, and records every status and fault it is told.
 */
import type {
  KeypadCommand,
  KeypadFault,
  KeypadHost,
  KeypadStatus,
  KeypadView,
  PressReceipt,
  PressReport,
} from '../../../src/shared/keypad';

export class MemoryKeypadHost implements KeypadHost {
  /** Every report the driver made, repeats included. */
  readonly reports: PressReport[] = [];
  /** Presses counted once each, in arrival order. */
  readonly counted: PressReport[] = [];
  readonly faults: KeypadFault[] = [];
  readonly statuses: KeypadStatus[] = [];
  view: KeypadView = { mode: 'idle', text: '窗口 3 号' };
  /** Makes the next N recordPress calls fail, like a full disk. */
  failPresses = 0;
  private readonly seen = new Set<string>();
  private readonly listeners = new Set<(command: KeypadCommand) => void>();
  private nextId = 1;

  recordPress(report: PressReport): PressReceipt {
    if (this.failPresses > 0) {
      this.failPresses--;
      throw new Error('disk full');
    }
    this.reports.push(report);
    const key = report.kind === 'key' ? `${report.deviceSerial}#${report.eventId}` : `legacy#${this.nextId}`;
    const repeat = this.seen.has(key);
    if (!repeat) {
      this.seen.add(key);
      this.counted.push(report);
    }
    return { pressId: `p${this.nextId++}`, outcome: 'rating', cause: null, repeat };
  }

  /** The size of each group of presses recorded together. */
  readonly groups: number[] = [];

  /** All or nothing, as the kiosk's one journal write for the group. */
  recordPresses(reports: readonly PressReport[]): PressReceipt[] {
    if (this.failPresses > 0) {
      this.failPresses--;
      throw new Error('disk full');
    }
    this.groups.push(reports.length);
    return reports.map((report) => this.recordPress(report));
  }

  recordFault(fault: KeypadFault): void {
    this.faults.push(fault);
  }

  setKeypadStatus(status: KeypadStatus): void {
    this.statuses.push(status);
  }

  keypadView(): KeypadView {
    return this.view;
  }

  onKeypadCommand(listener: (command: KeypadCommand) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What the core would do when the window changes. */
  command(command: KeypadCommand): void {
    for (const listener of this.listeners) listener(command);
  }

  get status(): KeypadStatus | undefined {
    return this.statuses.at(-1);
  }

  get link(): KeypadStatus['link'] | undefined {
    return this.status?.link;
  }

  eventIds(): number[] {
    return this.counted.flatMap((r) => (r.kind === 'key' ? [r.eventId] : []));
  }
}
