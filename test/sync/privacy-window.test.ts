/**
 * A callback phone's life from the window to the centre (docs/data-protection.md): the
 * window chains only a commitment to the number, sends the number beside the record, and
 * erases it once the centre acknowledges the record, with the chain still verifying; the
 * centre checks the number against the commitment, keeps it only sealed (a pg_dump shows
 * no number), shows it masked, and reveals it to the assigned officer alone. A number or
 * an ID typed in the comment is masked before it leaves the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/core/outbox/outbox';
import { nextBatch } from '../../src/core/outbox/queue';
import { readCredentials } from '../../src/core/sync/credentials';
import { toUploadBatch } from '../../src/core/sync/upload-format';
import { everyLocalValue, startPrivacyCentre, type PrivacyCentre } from '../centre/support/privacy';
import { rateCase, SJ_ITEM } from '../centre/support/follow-up';
import type { ConsoleSession } from '../centre/support/console-session';
import { enrolledClient, type SyncedTerminal } from './support/sync';
import { openTerminal, type Terminal } from './support/terminal';

const PHONE = '13812345678';
const OTHER_PHONE = '13987654321';
const ID_NUMBER = '340104199001011234';

describe('a callback phone from the window to the centre', () => {
  let pc: PrivacyCentre;
  let t: Terminal & SyncedTerminal;
  let ratingId: string;

  beforeAll(async () => {
    pc = await startPrivacyCentre();
    const terminal = openTerminal({ clock: pc.clock, windowNo: '21' });
    t = { ...terminal, ...(await enrolledClient(terminal, pc.centre, { windowNo: '21' })) };
    ratingId = rateCase(t, SJ_ITEM, 5, { reasons: ['R01'], phone: PHONE, comment: `身份证 ${ID_NUMBER}，请打 ${OTHER_PHONE}` });
    rateCase(t, SJ_ITEM, 1);
  }, 120_000);
  afterAll(async () => {
    t?.kiosk.close();
    await pc?.close();
  });

  it('keeps the phone beside the chain, never in it, and masks numbers typed in the comment', () => {
    const db = t.kiosk.db;
    const details = db.prepare("SELECT payload FROM outbox WHERE kind = 'rating_details'").pluck().get() as string;
    expect(details).not.toContain(PHONE);
    expect(JSON.parse(details)).toMatchObject({ callbackPhone: null, callbackPhoneCommitment: expect.stringMatching(/^[0-9a-f]{64}$/), comment: '身份证 340***********1234，请打 139****4321' });
    expect(db.prepare('SELECT callback_phone FROM outbox_personal').pluck().all()).toEqual([PHONE]);
    expect(db.prepare('SELECT callback_phone, comment FROM ratings WHERE id = ?').get(ratingId)).toEqual({ callback_phone: PHONE, comment: '身份证 340***********1234，请打 139****4321' });
    expect(everyLocalValue(db)).not.toContain(OTHER_PHONE);
    expect(everyLocalValue(db)).not.toContain(ID_NUMBER);
  });

  it('refuses a phone that is not the one the record committed to, and stores nothing of the batch', async () => {
    const credentials = readCredentials(t.kiosk.db)!;
    const batch = toUploadBatch(nextBatch(t.kiosk.db, 1, 0, 100)!, Date.now());
    const details = batch.records.find((r) => r.kind === 'rating_details')!;
    details.personal = { ...details.personal!, callbackPhone: '13800000000' };
    const answer = await pc.centre.call('POST', '/v1/batches', { token: credentials.token, body: batch });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'invalid-record', message: expect.stringContaining('is not the one its payload committed to') } });
    expect(await pc.db.query('SELECT 1 FROM records')).toEqual([]);
  });

  it('erases the phone at the window once the centre holds it; the chain still verifies', async () => {
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    const db = t.kiosk.db;
    expect(everyLocalValue(db)).not.toContain(PHONE);
    expect(db.prepare('SELECT count(*) FROM outbox_personal').pluck().get()).toBe(0);
    expect(db.prepare('SELECT callback_phone FROM ratings WHERE id = ?').pluck().get(ratingId)).toBeNull();
    expect(verifyChain(db)).toMatchObject({ ok: true });
    // The rating and its reasons stay on the window: only the number went.
    expect(db.prepare('SELECT level, reason_codes FROM ratings WHERE id = ?').get(ratingId)).toEqual({ level: 'very_dissatisfied', reason_codes: '["R01"]' });
  });

  it('keeps the phone at the centre only sealed: masked on every screen, absent from a pg_dump', async () => {
    await pc.centre.centre.projector.run();
    const dump = pc.dump();
    expect(dump.includes('138****5678'), `the dump lacks ${'138****5678'}`).toBe(true);
    expect(dump.includes(PHONE), `the dump holds ${PHONE}`).toBe(false);
    expect(dump.includes(ID_NUMBER), `the dump holds ${ID_NUMBER}`).toBe(false);
    const held = await pc.db.query<{ callback_phone: string; phone_sealed: string }>('SELECT callback_phone, phone_sealed FROM follow_ups');
    expect(held).toEqual([{ callback_phone: '138****5678', phone_sealed: expect.stringMatching(/^v1:/) }]);
    // The reports still count the poor rating.
    const report = await pc.centre.call('GET', '/v1/reports/satisfaction?by=staff&period=month&from=2026-02-01&to=2026-02-28');
    expect((report.body.rows as { poor: number; rated: number }[])[0]).toMatchObject({ rated: 2, poor: 1 });
  });

  it('reveals the number to the officer the record is assigned to, and to no one else', async () => {
    const head: ConsoleSession = await pc.as('department', '340104-SJ', 'head-sj');
    const officer = await pc.as('follow_up', '340104-SJ', 'fu-li');
    const id = Number((await pc.db.query<{ id: number }>('SELECT id FROM follow_ups'))[0]!.id);
    expect((await pc.call(head, 'POST', '/follow-ups/:id/actions', { params: { id }, body: { action: 'assign', assignee: 'fu-li' } })).status).toBe(200);
    expect(await pc.call(head, 'POST', '/follow-ups/:id/phone', { params: { id } })).toMatchObject({ status: 403 });
    expect(await pc.call(officer, 'POST', '/follow-ups/:id/phone', { params: { id } })).toMatchObject({ status: 200, body: { phone: PHONE } });
  });
});
