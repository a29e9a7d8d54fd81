/**
 * Turns a validated command into a lifecycle event: looks up staff, items and reasons,
 * checks PINs (with a lockout against guessing), stamps ids and times. Refusals are
 * sentences for the person at the screen.
 */
import { randomUUID } from 'node:crypto';
import type { Command, KioskError } from '../shared/contract';
import { isPlausiblePhone } from '../shared/privacy';
import { refusal } from '../shared/refusals';
import type { KioskConfig } from './config';
import type { MachineEvent } from './lifecycle/types';
import { verifyPin } from './pin';
import type { Directory } from './store/directory';
import type { ReferralTarget } from '../shared/domain';
import type { TerminalIdentity } from './store/terminal';
import { isAfterHoursOn } from './time';

const PIN_ATTEMPTS = 5;
const PIN_LOCKOUT_MS = 5 * 60_000;

export class CommandDesk {
  private readonly pinFailures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly directory: Directory,
    private readonly terminal: TerminalIdentity,
    private readonly config: KioskConfig,
    private readonly utcOffsetMinutes: number,
  ) {}

  toEvent(command: Command, at: number): MachineEvent | KioskError {
    switch (command.type) {
      case 'signInBadge': {
        const staff = this.directory.staffByBadge(command.badgeId);
        if (!staff) return refusal('unknown_staff', 'badge_unknown', 'this badge is not registered; ask IT to add it');
        return { type: 'signIn', at, staff: { ...staff, sessionId: randomUUID(), method: 'badge' } };
      }
      case 'signInPin': {
        const lockedFor = this.pinLockout(command.staffNo, at);
        if (lockedFor > 0) {
          const minutes = Math.ceil(lockedFor / 60_000);
          return refusal('wrong_pin', 'pin_locked', `too many wrong PINs for ${command.staffNo}; try again in ${minutes} min or use your badge`, { staffNo: command.staffNo, minutes });
        }
        const staff = this.directory.staffByNo(command.staffNo);
        if (!staff) return refusal('unknown_staff', 'staff_no_unknown', `staff number ${command.staffNo} is not registered`, { staffNo: command.staffNo });
        if (!staff.pinHash) return refusal('wrong_pin', 'pin_not_set', `${staff.name} has no PIN set; sign in with the badge`, { name: staff.name });
        if (!verifyPin(command.pin, staff.pinHash)) {
          this.notePinFailure(command.staffNo, at);
          return refusal('wrong_pin', 'pin_wrong', 'wrong PIN');
        }
        this.pinFailures.delete(command.staffNo);
        return { type: 'signIn', at, staff: { ...staff, sessionId: randomUUID(), method: 'pin' } };
      }
      case 'signOut':
        return { type: 'signOut', at };
      case 'openCase': {
        const item = this.directory.item(command.itemCode, command.itemVersion);
        if (!item) return refusal('unknown_item', 'item_unknown', `service item ${command.itemCode} is not in this window's list`, { itemCode: command.itemCode });
        return {
          type: 'openCase',
          at,
          case: {
            id: randomUUID(),
            caseNo: command.caseNo ?? null,
            ticketNo: command.ticketNo ?? null,
            itemCode: item.itemCode,
            itemVersion: item.itemVersion,
            itemName: item.name,
            departmentCode: item.departmentCode ?? this.terminal.departmentCode,
            departmentName: item.departmentName ?? this.terminal.departmentName,
            openedAt: at,
            ...(command.appointmentId === undefined ? {} : { appointmentId: command.appointmentId }),
          },
        };
      }
      case 'finishCase': {
        let referral: ReferralTarget | null = null;
        if (command.referralTo !== undefined) {
          referral = this.directory.referralTargets().find((t) => t.code === command.referralTo) ?? null;
          if (!referral) return refusal('invalid_command', 'referral_unknown', `referral target ${command.referralTo} is not in the centre's list: choose one the list offers`, { target: command.referralTo });
        }
        return {
          type: 'finishCase',
          at,
          outcome: command.outcome,
          missingMaterials: command.outcome === 'notified_missing' ? (command.missingMaterials ?? []) : [],
          afterHours: isAfterHoursOn(at, this.config, this.utcOffsetMinutes),
          referral,
          referralNote: command.referralNote ?? null,
          complaintSummary: command.complaintSummary ?? null,
        };
      }
      case 'pause':
        return { type: 'pause', at, pauseId: randomUUID(), reason: command.reason };
      case 'resume':
        return { type: 'resume', at };
      case 'playPhrase':
        return { type: 'playPhrase', at, phrase: command.phrase };
      case 'rateByTouch':
        return { type: 'press', at, press: { id: randomUUID(), level: command.level, rawKey: null, channel: 'touch', deviceSerial: null, eventId: null, repeat: false } };
      case 'keepDetailsOpen':
        return { type: 'keepDetailsOpen', at, ratingId: command.ratingId };
      case 'leaveSuggestion':
        // Not a lifecycle event: the kiosk records it itself (src/core/suggestions.ts).
        return { code: 'invalid_command', message: 'a suggestion is recorded by the kiosk, not the window lifecycle' };
      case 'addRatingDetails': {
        const known = new Set(this.directory.reasons().map((r) => r.code));
        const unknown = command.reasonCodes.find((c) => !known.has(c));
        if (unknown) return refusal('invalid_command', 'reason_unknown', `reason code ${unknown} is not in the list`, { reason: unknown });
        const phone = command.callbackPhone?.replace(/[\s-]/g, '') || null;
        if (phone && !isPlausiblePhone(phone)) return refusal('invalid_command', 'callback_phone_invalid', 'the callback number is not a valid phone number');
        return { type: 'addDetails', at, ratingId: command.ratingId, reasonCodes: command.reasonCodes, comment: command.comment || null, callbackPhone: phone };
      }
    }
  }

  private pinLockout(staffNo: string, at: number): number {
    const f = this.pinFailures.get(staffNo);
    if (!f || f.count < PIN_ATTEMPTS) return 0;
    return Math.max(0, f.since + PIN_LOCKOUT_MS - at);
  }

  private notePinFailure(staffNo: string, at: number): void {
    const f = this.pinFailures.get(staffNo);
    const fresh = !f || at - f.since > PIN_LOCKOUT_MS;
    this.pinFailures.set(staffNo, fresh ? { count: 1, since: at } : { count: f.count + 1, since: f.since });
  }
}
