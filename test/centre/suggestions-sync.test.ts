/**
 * 意见簿 from the window to the centre, on a real PostgreSQL: a suggestion the touch screen
 * sent twice, in a batch the window then uploads again, is one row at the centre; its
 * reply phone leaves the window once the centre holds it, is kept there only sealed and
 * masked, and goes with a citizen's erasure request.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextBatch } from '../../src/core/outbox/queue';
import { readCredentials } from '../../src/core/sync/credentials';
import { toUploadBatch } from '../../src/core/sync/upload-format';
import { enrolledClient, type SyncedTerminal } from '../sync/support/sync';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { sweepSuggestionPhones } from '../../server/src/suggestions/retention';
import { signWindowToken, verifyWindowToken } from '../../server/src/suggestions/token';
import { everyLocalValue, startPrivacyCentre, type PrivacyCentre } from './support/privacy';

const PHONE = '13812345678';

describe('a suggestion from the window to the centre', () => {
  let pc: PrivacyCentre;
  let t: Terminal & SyncedTerminal;
  const withPhone = { type: 'leaveSuggestion', suggestionId: randomUUID(), categories: ['service_attitude'], text: '窗口工作人员很耐心，谢谢！', replyPhone: PHONE, replyConsent: true };
  const without = { type: 'leaveSuggestion', suggestionId: randomUUID(), categories: ['environment', 'other'], text: '希望增加饮水机。' };

  beforeAll(async () => {
    pc = await startPrivacyCentre();
    const terminal = openTerminal({ clock: pc.clock, windowNo: '21' });
    t = { ...terminal, ...(await enrolledClient(terminal, pc.centre, { windowNo: '21' })) };
    for (const s of [withPhone, withPhone, without]) expect(t.kiosk.execute(s, 'citizen').ok).toBe(true);
  }, 120_000);
  afterAll(async () => {
    t?.kiosk.close();
    await pc?.close();
  });

  it('lands once per suggestion however often it is sent and projected, with the phone masked and sealed', async () => {
    const batch = toUploadBatch(nextBatch(t.kiosk.db, 1, 0, 100)!, Date.now());
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    // The same batch again, as after an answer lost on the way: acknowledged, nothing doubled.
    const again = await pc.centre.call('POST', '/v1/batches', { token: readCredentials(t.kiosk.db)!.token, body: batch });
    expect(again.status).toBe(200);
    await pc.centre.centre.projector.run();
    await pc.centre.centre.projector.run();
    const rows = await pc.db.query<{ source: string; window_no: string; categories: string[]; body: string; phone_masked: string | null; phone_sealed: string | null; status: string }>(
      'SELECT source, window_no, categories, body, phone_masked, phone_sealed, status FROM suggestions ORDER BY left_at, id',
    );
    expect(rows).toEqual([
      { source: 'kiosk', window_no: '21', categories: ['service_attitude'], body: withPhone.text, phone_masked: '138****5678', phone_sealed: expect.stringMatching(/^v1:/), status: 'new' },
      { source: 'kiosk', window_no: '21', categories: ['environment', 'other'], body: without.text, phone_masked: null, phone_sealed: null, status: 'new' },
    ]);
    expect(pc.dump().includes(PHONE), 'the dump holds the phone in clear').toBe(false);
  });

  it('is answered and closed in the console, the phone masked; a viewer reads it and may not answer', async () => {
    const supervisor = await pc.as('supervisor', null, 'sup-zhang');
    const viewer = await pc.as('viewer', null, 'view-li');
    const list = await pc.call(viewer, 'GET', '/suggestions');
    expect(list.status).toBe(200);
    const rows = list.body.rows as { id: number; text: string; phone: string | null; status: string; source: string }[];
    expect(rows.map((r) => [r.text, r.phone, r.status, r.source])).toEqual([
      [without.text, null, 'new', 'kiosk'],
      [withPhone.text, '138****5678', 'new', 'kiosk'],
    ]);
    expect(list.text).not.toContain(PHONE);
    const id = rows[1]!.id;
    expect(await pc.call(viewer, 'POST', '/suggestions/:id/answer', { params: { id }, body: { answer: '已电话答复' } })).toMatchObject({ status: 403 });
    expect(await pc.call(supervisor, 'POST', '/suggestions/:id/close', { params: { id } })).toMatchObject({
      status: 409,
      body: { error: { message: expect.stringContaining('no answer yet'), reason: 'suggestions.not_answered', fields: { id } } },
    });
    expect(await pc.call(supervisor, 'POST', '/suggestions/:id/answer', { params: { id }, body: { answer: '' } })).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('write the answer') } } });
    expect(await pc.call(supervisor, 'POST', '/suggestions/:id/answer', { params: { id }, body: { answer: '已电话答复，感谢表扬。' } })).toMatchObject({
      status: 200,
      body: { status: 'answered', answer: '已电话答复，感谢表扬。', answeredBy: 'sup-zhang' },
    });
    expect(await pc.call(supervisor, 'POST', '/suggestions/:id/close', { params: { id } })).toMatchObject({ status: 200, body: { status: 'closed', closedBy: 'sup-zhang' } });
    expect(await pc.call(supervisor, 'POST', '/suggestions/:id/answer', { params: { id }, body: { answer: '改' } })).toMatchObject({ status: 409, body: { error: { reason: 'suggestions.closed', fields: { id } } } });
    expect(await pc.call(supervisor, 'POST', '/suggestions/:id/close', { params: { id } })).toMatchObject({ status: 409, body: { error: { reason: 'suggestions.already_closed', fields: { id } } } });
    expect(await pc.call(supervisor, 'POST', '/suggestions/:id/close', { params: { id: 'x1' } })).toMatchObject({ status: 404, body: { error: { reason: 'suggestions.not_found', fields: { id: 'x1' } } } });
    expect(await pc.call(supervisor, 'GET', '/suggestions?status=closed')).toMatchObject({ body: { rows: [{ id, status: 'closed' }] } });
  });

  it('refuses the mobile page for an expired or forged window code, with a sentence', async () => {
    const now = pc.clock.now();
    const expired = await signWindowToken(pc.db, { windowNo: '21', expiresAt: now - 1 });
    const fresh = await signWindowToken(pc.db, { windowNo: '21', expiresAt: now + 60_000 });
    expect(await verifyWindowToken(pc.db, fresh, now)).toEqual({ ok: true, token: { windowNo: '21', expiresAt: now + 60_000 } });
    expect(await verifyWindowToken(pc.db, expired, now)).toMatchObject({ ok: false, sentence: expect.stringContaining('二维码已过期') });
    // The window number changed in the code, the signature kept: forged.
    const [, mac] = fresh.split('.');
    const changed = `${Buffer.from(JSON.stringify({ w: '1', e: now + 60_000 })).toString('base64url')}.${mac}`;
    expect(await verifyWindowToken(pc.db, changed, now)).toMatchObject({ ok: false, sentence: expect.stringContaining('二维码无效') });
    const page = await pc.centre.call('GET', `/s/${expired}`);
    expect(page.status).toBe(403);
    expect(page.text).toContain('二维码已过期');
    const posted = await pc.centre.call('POST', `/s/${expired}`, { body: { key: randomUUID(), categories: ['other'], text: '过期' } });
    expect(posted).toMatchObject({ status: 403, body: { error: { message: expect.stringContaining('二维码已过期') } } });
    expect(await pc.db.query("SELECT 1 FROM suggestions WHERE source = 'mobile'")).toEqual([]);
  });

  it('erases a closed suggestion’s phone the retention days after it was closed, from the row and its record, keeping the answer', async () => {
    const closedAt = Number((await pc.db.query<{ closed_at: string }>("SELECT closed_at FROM suggestions WHERE status = 'closed'"))[0]!.closed_at);
    expect(await sweepSuggestionPhones(pc.db, closedAt + 89 * 86_400_000, 90)).toBe(0);
    expect(await sweepSuggestionPhones(pc.db, closedAt + 91 * 86_400_000, 90)).toBe(1);
    expect(await pc.db.query("SELECT phone_masked, phone_sealed, phone_key, answer FROM suggestions WHERE status = 'closed'")).toEqual([
      { phone_masked: null, phone_sealed: null, phone_key: null, answer: '已电话答复，感谢表扬。' },
    ]);
    expect(await pc.db.query("SELECT 1 FROM records WHERE kind = 'suggestion' AND phone_sealed IS NOT NULL")).toEqual([]);
  });

  it('has erased the phone at the window once the centre acknowledged it', () => {
    expect(t.kiosk.db.prepare('SELECT count(*) FROM outbox_personal').pluck().get()).toBe(0);
    expect(everyLocalValue(t.kiosk.db)).not.toContain(PHONE);
    expect(t.kiosk.verify()).toMatchObject({ ok: true });
  });
});
