/** The window as the screens show it: its state, who serves, the case, the keypad and sync, read from the state and the database. */
import type { KeypadStatus } from '../shared/keypad';
import type { Snapshot, SpeechState, SyncStatus } from '../shared/contract';
import { isPoor, type RatingLevel } from '../shared/levels';
import type { KioskConfig } from './config';
import { staffOf } from './lifecycle/machine';
import type { WindowState } from './lifecycle/types';
import type { Directory } from './store/directory';
import type { Figures } from './store/figures';
import type { TerminalIdentity } from './store/terminal';
import { startOfLocalMonth } from './time';

export interface SnapshotSources {
  at: number;
  state: WindowState;
  terminal: TerminalIdentity;
  directory: Directory;
  figures: Figures;
  utcOffsetMinutes: number;
  language: KioskConfig['language'];
  keys: Partial<Record<RatingLevel, number>>;
  keypad: KeypadStatus;
  sync: SyncStatus;
  speech: SpeechState;
}

export function projectSnapshot(from: SnapshotSources): Snapshot {
  const { at, state: s } = from;
  const staff = staffOf(s);
  const record = staff ? from.directory.staffByNo(staff.staffNo) : undefined;
  return {
    at,
    phase: s.phase,
    window: { terminalId: from.terminal.terminalId, windowNo: from.terminal.windowNo, departmentName: from.terminal.departmentName },
    staff: staff
      ? {
          staffNo: staff.staffNo,
          name: staff.name,
          photo: record?.photo ?? null,
          departmentName: staff.departmentName,
          monthSatisfaction: from.figures.monthSatisfaction(staff.staffNo, startOfLocalMonth(at, from.utcOffsetMinutes)),
        }
      : null,
    pause: s.phase === 'paused' ? { reason: s.pause.reason, since: s.pause.since } : null,
    case:
      s.phase === 'serving' || s.phase === 'awaiting_rating'
        ? {
            id: s.case.id,
            itemCode: s.case.itemCode,
            itemName: s.case.itemName,
            caseNo: s.case.caseNo,
            ticketNo: s.case.ticketNo,
            openedAt: s.case.openedAt,
            serviceInfo: from.directory.serviceInfo(s.case.itemCode, s.case.itemVersion),
          }
        : null,
    rating: s.phase === 'awaiting_rating' ? { deadline: s.deadline } : null,
    lastRating: s.phase === 'thanks' && s.lastRating ? { ...s.lastRating, poor: isPoor(s.lastRating.level) } : null,
    phrase: s.phrase,
    phraseFills: s.phraseFills ?? null,
    keypad: from.keypad,
    display: { language: from.language, keys: from.keys },
    sync: from.sync,
    speech: from.speech,
  };
}
