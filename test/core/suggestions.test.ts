/**
 * 意见簿 on the window, on a real SQLite file: a suggestion from the citizen screen is one
 * row and one `suggestion` record however often the screen sends it; its reply phone is in
 * neither the row nor the chain, waits beside the record and goes once the centre
 * acknowledges it; staff cannot leave one, and bad input is refused with a sentence.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { phoneCommitment } from '../../src/core/outbox/personal';
import { markAcknowledged, nextBatch } from '../../src/core/outbox/queue';
import type { Kiosk } from '../../src/core/kiosk';
import { PAYLOAD_SCHEMAS } from '../../src/shared/sync-wire';
import { openTestKiosk } from '../support/kiosk';

const PHONE = '13812345678';
const open: Kiosk[] = [];
afterEach(() => open.splice(0).forEach((k) => k.close()));

function kiosk() {
  const k = openTestKiosk();
  open.push(k.kiosk);
  return k;
}

const suggestion = (extra: Record<string, unknown> = {}) => ({
  type: 'leaveSuggestion',
  suggestionId: randomUUID(),
  categories: ['environment', 'efficiency'],
  text: '等候区的座位太少，希望增加。',
  ...extra,
});

describe('the suggestion book on the window', () => {
  it('records a suggestion sent twice once, as a row and one chained record', () => {
    const { kiosk: k } = kiosk();
    const s = suggestion();
    expect(k.execute(s, 'citizen').ok).toBe(true);
    expect(k.execute(s, 'citizen').ok).toBe(true);
    const rows = k.db.prepare('SELECT id, categories, text, wants_reply FROM suggestions').all();
    expect(rows).toEqual([{ id: s.suggestionId, categories: '["environment","efficiency"]', text: s.text, wants_reply: 0 }]);
    const records = k.db.prepare("SELECT payload FROM outbox WHERE kind = 'suggestion'").pluck().all() as string[];
    expect(records).toHaveLength(1);
    const payload = PAYLOAD_SCHEMAS.suggestion.parse(JSON.parse(records[0]!));
    expect(payload).toMatchObject({ suggestionId: s.suggestionId, categories: ['environment', 'efficiency'], text: s.text, windowNo: k.terminal.windowNo });
    expect(payload.callbackPhoneCommitment).toBeUndefined();
    expect(k.pendingOutbox()).toBe(1);
    expect(k.verify()).toMatchObject({ ok: true, records: 1 });
  });

  it('keeps the reply phone beside the record only, and erases it once the centre acknowledges the record', () => {
    const { kiosk: k, clock } = kiosk();
    const s = suggestion({ replyPhone: '138 1234 5678', replyConsent: true });
    expect(k.execute(s, 'citizen').ok).toBe(true);
    const record = k.db.prepare("SELECT epoch, seq, payload FROM outbox WHERE kind = 'suggestion'").get() as { epoch: number; seq: number; payload: string };
    expect(record.payload).not.toContain(PHONE);
    expect(JSON.stringify(k.db.prepare('SELECT * FROM suggestions').all())).not.toContain(PHONE);
    const salt = k.db.prepare('SELECT salt FROM outbox_personal').pluck().get() as string;
    expect(JSON.parse(record.payload).callbackPhoneCommitment).toBe(phoneCommitment(PHONE, salt));
    expect(nextBatch(k.db, record.epoch, 0, 10)!.records.find((r) => r.kind === 'suggestion')!.personal).toEqual({ callbackPhone: PHONE, salt });

    markAcknowledged(k.db, record.epoch, record.seq, clock.now());
    expect(k.db.prepare('SELECT count(*) FROM outbox_personal').pluck().get()).toBe(0);
    expect(k.db.prepare('SELECT wants_reply FROM suggestions').pluck().get()).toBe(1);
    expect(k.verify()).toMatchObject({ ok: true });
  });

  it('refuses a suggestion from staff, without a category, with a phone but no consent, or with an impossible phone, and keeps nothing', () => {
    const { kiosk: k } = kiosk();
    const refused = (input: unknown, origin: 'citizen' | 'staff' = 'citizen') => {
      const r = k.execute(input, origin);
      expect(r.ok).toBe(false);
      return r.ok ? '' : r.error.message;
    };
    expect(refused(suggestion(), 'staff')).toMatch(/staff cannot/);
    expect(refused(suggestion({ categories: [] }))).toMatch(/at least one category/);
    expect(refused(suggestion({ categories: ['snacks'] }))).toMatch(/categories/);
    expect(refused(suggestion({ replyPhone: PHONE }))).toMatch(/consent/);
    expect(refused(suggestion({ replyPhone: '12345', replyConsent: true }))).toMatch(/mainland mobile or landline/);
    expect(refused(suggestion({ text: 'x'.repeat(501) }))).toMatch(/at most 500/);
    expect(refused(suggestion({ text: 'bell\u0007' }))).toMatch(/control characters/);
    expect(k.db.prepare('SELECT count(*) FROM suggestions').pluck().get()).toBe(0);
    expect(k.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
  });
});
