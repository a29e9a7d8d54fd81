/**
 * Writes each lifecycle fact to its table and to the outbox. The caller runs a whole
 * transition's facts in one transaction, so a fact and its outbox record are on disk
 * together or not at all.
 */
import { redact } from '../../shared/privacy';
import type { OutboxPayload, PayloadOf } from '../../shared/sync-wire';
import type { CaseInfo, Fact } from '../lifecycle/types';
import type { Outbox } from '../outbox/outbox';
import { commitPhone, type PersonalPart } from '../outbox/personal';
import type { Db } from './database';

export interface TerminalContext {
  terminalId: string;
  windowNo: string;
  areaCode: string | null;
}

export class FactWriter {
  private readonly stmt;

  constructor(
    db: Db,
    private readonly outbox: Outbox,
    private readonly terminal: () => TerminalContext,
  ) {
    this.stmt = {
      sessionStart: db.prepare('INSERT INTO staff_sessions (id, staff_no, method, signed_in_at) VALUES (?, ?, ?, ?)'),
      sessionEnd: db.prepare('UPDATE staff_sessions SET signed_out_at = ? WHERE id = ? AND signed_out_at IS NULL'),
      pauseStart: db.prepare('INSERT INTO pauses (id, session_id, staff_no, reason, started_at) VALUES (?, ?, ?, ?, ?)'),
      pauseEnd: db.prepare('UPDATE pauses SET ended_at = ? WHERE id = ? AND ended_at IS NULL'),
      caseOpen: db.prepare(`INSERT INTO cases (id, case_no, ticket_no, item_code, item_version, item_name, department_code,
        department_name, staff_no, staff_name, window_no, session_id, opened_at, status)
        VALUES (@id, @caseNo, @ticketNo, @itemCode, @itemVersion, @itemName, @departmentCode, @departmentName,
        @staffNo, @staffName, @windowNo, @sessionId, @openedAt, 'open')`),
      caseClose: db.prepare(`UPDATE cases SET closed_at = ?, outcome = ?, missing_materials = ?, after_hours = ?,
        rating_deadline = ?, status = 'awaiting_rating' WHERE id = ? AND status = 'open'`),
      // A press held by the keypad and judged by when it was made may rate a case after its window closed unrated.
      caseRated: db.prepare(`UPDATE cases SET status = 'rated', rating_level = ? WHERE id = ? AND status IN ('awaiting_rating', 'unrated')`),
      caseUnrated: db.prepare(`UPDATE cases SET status = 'unrated' WHERE id = ? AND status = 'awaiting_rating'`),
      rating: db.prepare(`INSERT INTO ratings (id, case_id, level, raw_key, channel, device_serial, device_event_id, invited_at, rated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      details: db.prepare('UPDATE ratings SET reason_codes = ?, comment = ?, callback_phone = ?, details_at = ? WHERE id = ? AND details_at IS NULL'),
      misuse: db.prepare(`INSERT INTO misuse_presses (id, cause, level, raw_key, channel, device_serial, device_event_id, case_id, pressed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      deviceEvent: db.prepare('INSERT OR IGNORE INTO device_events (device_serial, event_id, press_id, received_at) VALUES (?, ?, ?, ?)'),
    };
  }

  write(fact: Fact): void {
    const s = this.stmt;
    const t = this.terminal();
    let changed = 1;
    switch (fact.kind) {
      case 'session_started':
        s.sessionStart.run(fact.sessionId, fact.staffNo, fact.method, fact.at);
        break;
      case 'session_ended':
        changed = s.sessionEnd.run(fact.at, fact.sessionId).changes;
        break;
      case 'pause_started':
        s.pauseStart.run(fact.pauseId, fact.sessionId, fact.staffNo, fact.reason, fact.at);
        break;
      case 'pause_ended':
        changed = s.pauseEnd.run(fact.at, fact.pauseId).changes;
        break;
      case 'case_opened':
        s.caseOpen.run({ ...fact.case, staffNo: fact.staffNo, staffName: fact.staffName, windowNo: t.windowNo, sessionId: fact.sessionId });
        break;
      case 'case_closed':
        changed = s.caseClose.run(fact.at, fact.outcome, JSON.stringify(fact.missingMaterials), fact.afterHours ? 1 : 0, fact.ratingDeadline, fact.caseId).changes;
        break;
      case 'rating':
        s.rating.run(fact.ratingId, fact.case.id, fact.level, fact.rawKey, fact.channel, fact.deviceSerial, fact.eventId, fact.invitedAt, fact.at);
        changed = s.caseRated.run(fact.level, fact.case.id).changes;
        this.rememberDeviceEvent(fact.deviceSerial, fact.eventId, fact.ratingId, fact.at);
        break;
      case 'case_unrated':
        changed = s.caseUnrated.run(fact.caseId).changes;
        break;
      case 'misuse':
        s.misuse.run(fact.pressId, fact.cause, fact.level, fact.rawKey, fact.channel, fact.deviceSerial, fact.eventId, fact.caseId, fact.at);
        this.rememberDeviceEvent(fact.deviceSerial, fact.eventId, fact.pressId, fact.at);
        break;
      case 'rating_details':
        changed = s.details.run(JSON.stringify(fact.reasonCodes), redactComment(fact.comment), fact.callbackPhone, fact.at, fact.ratingId).changes;
        break;
    }
    // The machine only emits facts that fit the stored state; a miss means the two disagree.
    if (changed !== 1) throw new Error(`${fact.kind} did not match the stored record`);
    if (fact.kind === 'rating_details' && fact.callbackPhone) {
      // The chain holds a commitment to the phone; the number waits beside it until the centre has it.
      const { salt, commitment } = commitPhone(fact.callbackPhone);
      const personal: PersonalPart = { ratingId: fact.ratingId, callbackPhone: fact.callbackPhone, salt };
      this.outbox.append(fact.kind, fact.at, { ...outboxPayload(fact, t), callbackPhone: null, callbackPhoneCommitment: commitment }, personal);
      return;
    }
    this.outbox.append(fact.kind, fact.at, outboxPayload(fact, t));
  }

  private rememberDeviceEvent(serial: string | null, eventId: number | null, pressId: string, at: number): void {
    if (serial !== null && eventId !== null) this.stmt.deviceEvent.run(serial, eventId, pressId, at);
  }
}

/**
 * What the centre receives, in the shape of the sync wire contract. Ratings carry every
 * field a report upward needs, so the centre never has to join against data it may not have.
 */
export function outboxPayload(fact: Fact, t: TerminalContext): OutboxPayload {
  const where = { at: fact.at, windowNo: t.windowNo, areaCode: t.areaCode };
  switch (fact.kind) {
    case 'session_started':
      return { kind: fact.kind, ...where, sessionId: fact.sessionId, staffNo: fact.staffNo, staffName: fact.staffName, method: fact.method } satisfies PayloadOf<'session_started'>;
    case 'session_ended':
      return { kind: fact.kind, ...where, sessionId: fact.sessionId, staffNo: fact.staffNo } satisfies PayloadOf<'session_ended'>;
    case 'pause_started':
      return { kind: fact.kind, ...where, pauseId: fact.pauseId, sessionId: fact.sessionId, staffNo: fact.staffNo, reason: fact.reason } satisfies PayloadOf<'pause_started'>;
    case 'pause_ended':
      return { kind: fact.kind, ...where, pauseId: fact.pauseId, staffNo: fact.staffNo } satisfies PayloadOf<'pause_ended'>;
    case 'case_opened':
      return {
        kind: fact.kind,
        ...where,
        ...caseFields(fact.case, fact),
        openedAt: fact.case.openedAt,
        sessionId: fact.sessionId,
        // Sync wire revision 4: only when there is one, so other cases hash as before.
        ...(fact.case.appointmentId === undefined ? {} : { appointmentId: fact.case.appointmentId }),
      } satisfies PayloadOf<'case_opened'>;
    case 'case_closed':
      return {
        kind: fact.kind,
        ...where,
        caseId: fact.caseId,
        outcome: fact.outcome,
        missingMaterials: fact.missingMaterials,
        afterHours: fact.afterHours,
        ratingDeadline: fact.ratingDeadline,
        // Written only when there is one: a case without them hashes as it did before revision 3.
        ...(fact.referral ? { referral: { code: fact.referral.code, name: fact.referral.name, kind: fact.referral.kind } } : {}),
        ...(fact.referralNote ? { referralNote: fact.referralNote } : {}),
        ...(fact.complaintSummary ? { complaintSummary: fact.complaintSummary } : {}),
      } satisfies PayloadOf<'case_closed'>;
    case 'rating':
      return {
        kind: fact.kind,
        ...where,
        ...caseFields(fact.case, fact),
        ratingId: fact.ratingId,
        level: fact.level,
        rawKey: fact.rawKey,
        channel: fact.channel,
        deviceSerial: fact.deviceSerial,
        eventId: fact.eventId,
        invitedAt: fact.invitedAt,
        ratingType: 'first',
      } satisfies PayloadOf<'rating'>;
    case 'case_unrated':
      return { kind: fact.kind, ...where, caseId: fact.caseId, invitedAt: fact.invitedAt, deadline: fact.deadline } satisfies PayloadOf<'case_unrated'>;
    case 'misuse':
      return {
        kind: fact.kind,
        ...where,
        pressId: fact.pressId,
        cause: fact.cause,
        level: fact.level,
        rawKey: fact.rawKey,
        channel: fact.channel,
        deviceSerial: fact.deviceSerial,
        eventId: fact.eventId,
        caseId: fact.caseId,
      } satisfies PayloadOf<'misuse'>;
    case 'rating_details':
      return {
        kind: fact.kind,
        ...where,
        ratingId: fact.ratingId,
        reasonCodes: fact.reasonCodes,
        comment: redactComment(fact.comment),
        callbackPhone: fact.callbackPhone,
      } satisfies PayloadOf<'rating_details'>;
  }
}

function caseFields(c: CaseInfo, by: { staffNo: string; staffName: string }) {
  return {
    caseId: c.id,
    caseNo: c.caseNo,
    ticketNo: c.ticketNo,
    itemCode: c.itemCode,
    itemVersion: c.itemVersion,
    itemName: c.itemName,
    departmentCode: c.departmentCode,
    departmentName: c.departmentName,
    staffNo: by.staffNo,
    staffName: by.staffName,
  } satisfies Pick<PayloadOf<'rating'>, 'caseId' | 'caseNo' | 'ticketNo' | 'itemCode' | 'itemVersion' | 'itemName' | 'departmentCode' | 'departmentName' | 'staffNo' | 'staffName'>;
}

/** ID and mobile numbers a citizen typed in a comment are masked before the comment is stored or sent. */
function redactComment(comment: string | null): string | null {
  return comment === null ? null : redact(comment);
}
