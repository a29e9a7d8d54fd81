/**
 * 意见簿 (11.2.2): a suggestion from the citizen screen becomes a row in `suggestions` and a
 * `suggestion` outbox record in one transaction. The screen makes the id, so the same
 * suggestion sent again (a double tap, a resend after a lost answer) is recorded once. A
 * reply phone is never kept in the row: it waits beside the record, as a callback phone does
 * (outbox_personal, src/core/outbox/personal.ts), and is erased once the centre acknowledges.
 */
import { isPlausiblePhone } from '../shared/privacy';
import { refusal } from '../shared/refusals';
import type { PayloadOf } from '../shared/sync-wire';
import type { KioskError } from '../shared/contract';
import type { LeaveSuggestion } from '../shared/suggestions';
import { headMoved, Outbox } from './outbox/outbox';
import { commitPhone } from './outbox/personal';
import type { Db } from './store/database';
import type { TerminalIdentity } from './store/terminal';

/** Whether it was new (false: that id was recorded before, nothing written), or why it was refused. */
export function recordSuggestion(
  db: Db,
  terminal: TerminalIdentity,
  s: LeaveSuggestion,
  at: number,
): { ok: true; recorded: boolean } | { ok: false; error: KioskError } {
  const phone = s.replyPhone ? s.replyPhone.replace(/\s+/g, '') : '';
  if (phone && !isPlausiblePhone(phone)) {
    return { ok: false, error: refusal('invalid_command', 'reply_phone_invalid', 'the reply number is not a mainland mobile or landline number (e.g. 13812345678 or 010-12345678)') };
  }
  const outbox = new Outbox(db, terminal.terminalId);
  const recorded = db.transaction(() => {
    const inserted = db
      .prepare('INSERT OR IGNORE INTO suggestions (id, categories, text, wants_reply, left_at) VALUES (?, ?, ?, ?, ?)')
      .run(s.suggestionId, JSON.stringify(s.categories), s.text, phone ? 1 : 0, at).changes;
    if (inserted === 0) return false;
    const payload: PayloadOf<'suggestion'> = {
      kind: 'suggestion',
      at,
      windowNo: terminal.windowNo,
      areaCode: terminal.areaCode,
      suggestionId: s.suggestionId,
      categories: s.categories,
      text: s.text,
    };
    if (phone) {
      const { salt, commitment } = commitPhone(phone);
      outbox.append('suggestion', at, { ...payload, callbackPhoneCommitment: commitment }, { ratingId: s.suggestionId, callbackPhone: phone, salt });
    } else {
      outbox.append('suggestion', at, payload);
    }
    return true;
  })();
  // Every other Outbox on this database re-reads the head this one moved.
  if (recorded) headMoved(db);
  return { ok: true, recorded };
}
