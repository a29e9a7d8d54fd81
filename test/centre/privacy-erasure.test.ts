/**
 * Erasing a callback phone at the centre (docs/data-protection.md), on a real PostgreSQL:
 * a citizen's request, carried out by an admin from the console, erases the number from
 * every record, case and follow-up record that holds it (found by its keyed hash), tells
 * the windows that sent it, and is recorded; the retention sweep erases the phone of a
 * follow-up record closed longer ago than the setting, on the centre's clock. A fresh
 * pg_dump shows the number nowhere; the reports still count every rating.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/core/outbox/outbox';
import { nextBatch } from '../../src/core/outbox/queue';
import { readCredentials } from '../../src/core/sync/credentials';
import { toUploadBatch } from '../../src/core/sync/upload-format';
import { PRIVACY_ROUTES, type PhoneErasureRow } from '../../src/shared/console/privacy-contract';
import { enrolledClient, type SyncedTerminal } from '../sync/support/sync';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { rateCase, SJ_ITEM } from './support/follow-up';
import type { ConsoleSession } from './support/console-session';
import { everyLocalValue, startPrivacyCentre, type PrivacyCentre } from './support/privacy';

const CITIZEN = '13812345678';
const OTHER = '13987654321';
const EARLIER = '13600001111';
const DAY = 86_400_000;

describe('erasing a callback phone at the centre', () => {
  let pc: PrivacyCentre;
  let w21: Terminal & SyncedTerminal;
  let w22: Terminal & SyncedTerminal;
  let admin: ConsoleSession;
  const ratings: Record<'citizenAt21' | 'citizenAt22' | 'other' | 'earlier', string> = {} as never;

  const window = async (windowNo: string) => {
    const t = openTerminal({ clock: pc.clock, windowNo });
    return { ...t, ...(await enrolledClient(t, pc.centre, { windowNo })) };
  };
  const poorCount = async () => {
    await pc.centre.centre.projector.run();
    const report = await pc.centre.call('GET', '/v1/reports/satisfaction?by=department&period=month&from=2026-02-01&to=2026-02-28');
    return (report.body.rows as { poor: number }[]).reduce((n, r) => n + r.poor, 0);
  };

  beforeAll(async () => {
    pc = await startPrivacyCentre();
    w21 = await window('21');
    w22 = await window('22');
    ratings.citizenAt21 = rateCase(w21, SJ_ITEM, 5, { reasons: ['R01'], phone: CITIZEN });
    ratings.other = rateCase(w21, SJ_ITEM, 4, { reasons: ['R02'], phone: OTHER });
    // A record as a window of an earlier version wrote it: the phone inside the chained payload.
    ratings.earlier = rateCase(w21, SJ_ITEM, 5);
    w21.kiosk.db.transaction(() => {
      new Outbox(w21.kiosk.db, w21.kiosk.terminal.terminalId).append('rating_details', pc.clock.now(), {
        kind: 'rating_details', at: pc.clock.now(), windowNo: '21', areaCode: '340104', ratingId: ratings.earlier, reasonCodes: ['R03'], comment: null, callbackPhone: EARLIER,
      });
    })();
    expect(await w21.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    // Window 22 sent its record, but the centre's answer never reached it: it still holds the number.
    ratings.citizenAt22 = rateCase(w22, SJ_ITEM, 5, { reasons: ['R01'], phone: '138 1234 5678' });
    const batch = toUploadBatch(nextBatch(w22.kiosk.db, 1, 0, 100)!, Date.now());
    expect((await pc.centre.call('POST', '/v1/batches', { token: readCredentials(w22.kiosk.db)!.token, body: batch })).status).toBe(200);
    admin = await pc.as('admin', null, 'admin-wang');
  }, 180_000);
  afterAll(async () => {
    w21?.kiosk.close();
    w22?.kiosk.close();
    await pc?.close();
  });

  it('holds every number only sealed, an earlier window\'s too', async () => {
    expect(await poorCount()).toBe(4);
    const dump = pc.dump();
    for (const phone of [CITIZEN, OTHER, EARLIER]) expect(dump.includes(phone), `the dump holds ${phone}`).toBe(false);
    const held = await pc.db.query<{ rating_id: string; callback_phone: string; sealed: boolean }>('SELECT rating_id, callback_phone, phone_sealed IS NOT NULL AS sealed FROM follow_ups ORDER BY rating_id');
    expect(held).toHaveLength(4);
    expect(held.every((r) => r.sealed && r.callback_phone.includes('****'))).toBe(true);
    expect(w22.kiosk.db.prepare('SELECT callback_phone FROM ratings WHERE id = ?').pluck().get(ratings.citizenAt22)).toBe(CITIZEN);
  });

  it('refuses the request from anyone but an admin, and a number that is not one, saying why', async () => {
    const supervisor = await pc.as('supervisor', null, 'sup-zhang');
    expect(await pc.call(supervisor, 'POST', PRIVACY_ROUTES.phoneErasures, { body: { phone: CITIZEN } })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const bad = await pc.call(admin, 'POST', PRIVACY_ROUTES.phoneErasures, { body: { phone: '12345' } });
    expect(bad).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('not a mainland mobile or landline number'), reason: 'privacy.phone_invalid' } } });
    expect(await pc.db.query('SELECT 1 FROM phone_erasures')).toEqual([]);
  });

  it("erases a citizen's number everywhere at the centre, records it, and tells both windows", async () => {
    const answer = await pc.call(admin, 'POST', PRIVACY_ROUTES.phoneErasures, { body: { phone: '138-1234-5678' } });
    expect(answer.status).toBe(200);
    const terminals = [w21.kiosk.terminal.terminalId, w22.kiosk.terminal.terminalId].sort();
    expect(answer.body).toMatchObject({
      reason: 'citizen_request',
      by: 'admin-wang',
      phoneMasked: '138****5678',
      followUps: 2,
      cases: 2,
      records: 2,
      terminals: terminals.map((terminalId) => ({ terminalId, delivered: false })),
    });
    expect(pc.dump().includes(CITIZEN), `the dump holds ${CITIZEN}`).toBe(false);
    // Not even the masked form is left but in the record of the erasure itself.
    const held = pc.dump(['--exclude-table-data=phone_erasures']);
    expect(held.includes('138****5678'), 'the dump holds 138****5678 outside phone_erasures').toBe(false);
    expect(held.includes('139****4321'), 'the dump lacks the other citizen').toBe(true);
    const left = await pc.db.query<{ rating_id: string; callback_phone: string | null }>('SELECT rating_id, callback_phone FROM follow_ups ORDER BY rating_id');
    expect(Object.fromEntries(left.map((r) => [r.rating_id, r.callback_phone]))).toEqual({
      [ratings.citizenAt21]: null,
      [ratings.citizenAt22]: null,
      [ratings.other]: '139****4321',
      [ratings.earlier]: '136****1111',
    });
    expect(await poorCount()).toBe(4);
  });

  it('the window that still held the number erases it at its next config pull, and the centre sees it did', async () => {
    expect((await w22.client.pullConfig()).ok).toBe(true);
    expect(everyLocalValue(w22.kiosk.db)).not.toContain(CITIZEN);
    expect(w22.kiosk.db.prepare('SELECT count(*) FROM outbox_personal').pluck().get()).toBe(0);
    // The next pull finds the config unchanged: the window kept the list, so the centre marks it delivered.
    expect(await w22.client.pullConfig()).toMatchObject({ ok: true, changed: false });
    const list = await pc.call(admin, 'GET', PRIVACY_ROUTES.phoneErasures);
    const [row] = list.body.erasures as PhoneErasureRow[];
    expect(row!.terminals).toContainEqual({ terminalId: w22.kiosk.terminal.terminalId, delivered: true });
    expect(row!.terminals).toContainEqual({ terminalId: w21.kiosk.terminal.terminalId, delivered: false });
  });

  it('does not store the number again when a window that was offline sends it later', async () => {
    const w23 = await window('23');
    try {
      const late = rateCase(w23, SJ_ITEM, 5, { reasons: ['R01'], phone: CITIZEN });
      expect(await w23.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
      const record = await pc.db.query<{ callback_phone: string | null; phone_sealed: string | null }>('SELECT callback_phone, phone_sealed FROM follow_ups WHERE rating_id = $1', [late]);
      expect(record).toEqual([{ callback_phone: null, phone_sealed: null }]);
      expect(pc.dump().includes(CITIZEN), 'the dump holds the number').toBe(false);
      // The other numbers are stored as ever.
      const other = rateCase(w23, SJ_ITEM, 4, { reasons: ['R02'], phone: '13711112222' });
      expect(await w23.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
      expect((await pc.db.query<{ callback_phone: string }>('SELECT callback_phone FROM follow_ups WHERE rating_id = $1', [other]))[0]?.callback_phone).toBe('137****2222');
    } finally {
      w23.kiosk.close();
    }
  });

  it('erases the phone of a record closed longer ago than the retention days, and only that one', async () => {
    const closedAt = pc.clock.now();
    await pc.db.query("UPDATE follow_ups SET state = 'closed', closed_at = $1 WHERE rating_id IN ($2, $3)", [closedAt, ratings.other, ratings.earlier]);
    const settings = await pc.centre.call('GET', '/v1/admin/settings');
    await pc.centre.call('PUT', '/v1/admin/settings', { body: { ...settings.body, privacy: { phoneRetentionDays: 30 } } });
    pc.clock.advance(29 * DAY);
    expect(await pc.centre.centre.privacy.sweep()).toBe(0);
    pc.clock.advance(2 * DAY);
    expect(await pc.centre.centre.privacy.sweep()).toBe(2);
    const dump = pc.dump(['--exclude-table-data=phone_erasures']);
    for (const shown of ['139****4321', '136****1111']) expect(dump.includes(shown), `the dump holds ${shown}`).toBe(false);
    // Only the record still open keeps its phone.
    expect(await pc.db.query('SELECT callback_phone FROM follow_ups WHERE callback_phone IS NOT NULL OR phone_sealed IS NOT NULL')).toEqual([{ callback_phone: '137****2222' }]);
    const erasures = await pc.db.query<{ reason: string; by_user: string; at: number; phone_masked: string }>("SELECT reason, by_user, at, phone_masked FROM phone_erasures WHERE reason = 'retention' ORDER BY phone_masked");
    expect(erasures.map((e) => [e.reason, e.by_user, Number(e.at), e.phone_masked])).toEqual([
      ['retention', 'centre', pc.clock.now(), '136****1111'],
      ['retention', 'centre', pc.clock.now(), '139****4321'],
    ]);
    expect(await poorCount()).toBe(6);
    // The erasure record is history: it cannot be changed.
    await expect(pc.db.query("UPDATE phone_erasures SET by_user = 'x'")).rejects.toThrow(/append-only/);
  });
});
