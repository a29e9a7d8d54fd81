/**
 * Exactly one follow-up record per poor rating, however the rating reaches the centre: the
 * same batch uploaded again and at once, a signed bundle of the same records imported twice
 * before the network sends them too, and a window restored from an old copy that goes on in
 * a new epoch, even when the new epoch carries a rating the centre already holds.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/core/outbox/outbox';
import { nextBatch } from '../../src/core/outbox/queue';
import { DATABASE_FILE } from '../../src/core/paths';
import { createSyncClient } from '../../src/core/sync';
import { readCredentials } from '../../src/core/sync/credentials';
import { toUploadJson } from '../../src/core/sync/upload-format';
import type { LiveEvent } from '../../src/shared/console/live-contract';
import type { FollowUpPage } from '../../src/shared/console/follow-up-contract';
import { BACKENDS } from '../sync/support/backends';
import { gzipJson, upload } from '../sync/support/batches';
import { enrolledClient } from '../sync/support/sync';
import { openTerminal, type Terminal } from '../sync/support/terminal';
import { tempDir } from '../support/tmp';
import { signInConsole } from './support/console-session';
import { GA_ITEM, rateCase, recordsByRating, SJ_ITEM, startFollowUpCentre, windowKiosk, type FollowUpCentre } from './support/follow-up';

describe.each(BACKENDS)('one follow-up record per poor rating on %s', (backend) => {
  let fc: FollowUpCentre;
  const open: Terminal[] = [];
  const events: LiveEvent[] = [];

  beforeAll(async () => {
    fc = await startFollowUpCentre(backend);
    fc.centre.centre.bus.subscribe((e) => void events.push(e));
  }, 120_000);
  afterEach(() => {
    for (const t of open.splice(0)) t.kiosk.close();
  });
  afterAll(async () => {
    await fc?.close();
  });

  const poorEventsFor = (ratingIds: string[]) => events.filter((e) => e.type === 'poor_rating' && ratingIds.includes(e.ratingId));
  const trailOpenings = async (ratingIds: string[]) =>
    (await fc.database.db.query<{ n: number }>(
      "SELECT count(*)::integer AS n FROM follow_up_trail t JOIN follow_ups f ON f.id = t.follow_up_id WHERE t.action = 'open' AND f.rating_id = ANY($1::text[])",
      [ratingIds],
    ))[0]!.n;

  it('opens each poor rating once when the same batch arrives again, and twice at the same moment', async () => {
    const t = await windowKiosk(fc, '11', open);
    const poor = [rateCase(t, SJ_ITEM, 5, { reasons: ['R01'], phone: '13812345678' }), rateCase(t, GA_ITEM, 4)];
    const good = [rateCase(t, SJ_ITEM, 1), rateCase(t, SJ_ITEM, 3)];
    const token = readCredentials(t.kiosk.db)!.token;
    const body = gzipJson(toUploadJson(nextBatch(t.kiosk.db, 1, 0, 500)!, fc.clock.now()));

    const together = await Promise.all([upload(fc.centre.url, token, body), upload(fc.centre.url, token, body), upload(fc.centre.url, token, body)]);
    expect(together.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(together.map((a) => a.body.stored).sort()).toEqual([0, 0, together.find((a) => Number(a.body.stored) > 0)!.body.stored]);
    expect((await upload(fc.centre.url, token, body)).body).toMatchObject({ stored: 0 });
    // The window's own sync sends them again: it never heard the answers above.
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });

    const held = await recordsByRating(fc);
    expect(poor.map((id) => held.get(id))).toEqual([1, 1]);
    expect(good.map((id) => held.get(id))).toEqual([undefined, undefined]);
    expect(await trailOpenings(poor)).toBe(2);
    expect(poorEventsFor(poor).map((e) => e.type === 'poor_rating' && [e.ratingId, e.level, e.windowNo, e.reasonCodes])).toEqual([
      [poor[0], 'very_dissatisfied', '11', ['R01']],
      [poor[1], 'dissatisfied', '11', []],
    ]);
    const supervisor = await fc.as('supervisor', null, 'sup-once');
    const ledger = await fc.call<FollowUpPage>(supervisor, 'GET', '/follow-ups', { query: { limit: '50' } });
    expect(ledger.body.rows.filter((r) => poor.includes(r.ratingId ?? '')).map((r) => [r.ratingId, r.departmentCode, r.state])).toEqual([
      [poor[1], '340104-GA', 'new'],
      [poor[0], '340104-SJ', 'new'],
    ]);
  });

  it('opens each poor rating once from a bundle imported twice and then sent over the network', async () => {
    const t = await windowKiosk(fc, '12', open);
    const poor = [rateCase(t, GA_ITEM, 5, { reasons: ['R06'] }), rateCase(t, SJ_ITEM, 5)];
    rateCase(t, GA_ITEM, 2);
    const file = join(tempDir(), 'window-12.bundle');
    expect(await t.client.exportBundle(file)).toMatchObject({ ok: true });
    const bundle = readFileSync(file);
    const send = () => fc.centre.call('POST', '/v1/admin/bundles', { body: bundle, headers: { 'content-encoding': 'gzip' } });
    expect((await send()).status).toBe(200);
    expect((await send()).body).toMatchObject({ batches: [{ stored: 0 }] });
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });

    const held = await recordsByRating(fc);
    expect(poor.map((id) => held.get(id))).toEqual([1, 1]);
    expect(await trailOpenings(poor)).toBe(2);
    expect(poorEventsFor(poor)).toHaveLength(2);
  });

  it('keeps one record per rating when a restored window goes on in a new epoch, and opens the new ones', async () => {
    const t = openTerminal({ clock: fc.clock, windowNo: '13' });
    open.push(t);
    const terminalId = t.kiosk.terminal.terminalId;
    const { client } = await enrolledClient(t, fc.centre, { windowNo: '13' });
    const before = rateCase(t, SJ_ITEM, 5, { reasons: ['R01'], phone: '13900001111' });
    expect(await client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    const backup = join(tempDir(), 'backup.db');
    t.kiosk.db.prepare('VACUUM INTO ?').run(backup);
    const lost = rateCase(t, GA_ITEM, 4);
    expect(await client.syncNow()).toMatchObject({ ok: true, pending: 0 });

    // The disk is replaced with last week's copy; the window works on and syncs into a new epoch.
    t.kiosk.close();
    open.splice(open.indexOf(t), 1);
    copyFileSync(backup, join(t.dataDir, DATABASE_FILE));
    const restored = openTerminal({ dataDir: t.dataDir, clock: fc.clock, windowNo: '13' });
    open.push(restored);
    const after = rateCase(restored, GA_ITEM, 5, { reasons: ['R03'] });
    const sync = createSyncClient({ db: restored.kiosk.db, terminalId, centreUrl: fc.centre.url, retry: { attempts: 5, baseMs: 10, capMs: 50 } });
    expect(await sync.syncNow()).toMatchObject({ ok: true, epochsStarted: 1, pending: 0 });

    // The new epoch then carries ratings the centre already holds from epoch 1, with the same identity.
    const payloadOf = async (ratingId: string) =>
      JSON.parse((await fc.database.db.query<{ payload: string }>("SELECT payload::text AS payload FROM records WHERE kind = 'rating' AND payload->>'ratingId' = $1", [ratingId]))[0]!.payload) as unknown;
    const outbox = new Outbox(restored.kiosk.db, terminalId);
    outbox.append('rating', fc.clock.now(), await payloadOf(lost));
    outbox.append('rating', fc.clock.now(), await payloadOf(before));
    expect(await sync.syncNow()).toMatchObject({ ok: true, pending: 0 });
    const epochs = await fc.database.db.query<{ epoch: number; n: number }>(
      "SELECT epoch, count(*)::integer AS n FROM records WHERE terminal_id = $1 AND kind = 'rating' GROUP BY epoch ORDER BY epoch",
      [terminalId],
    );
    expect(epochs).toEqual([{ epoch: 1, n: 2 }, { epoch: 2, n: 3 }]);

    const held = await recordsByRating(fc);
    expect([before, lost, after].map((id) => held.get(id))).toEqual([1, 1, 1]);
    expect(await trailOpenings([before, lost, after])).toBe(3);
    expect(poorEventsFor([before, lost, after]).map((e) => e.type === 'poor_rating' && e.ratingId)).toEqual([before, lost, after]);
  });

  it('adds reasons that arrive after the rating to its record, and tells the consoles once', async () => {
    const t = await windowKiosk(fc, '14', open);
    const ratingId = rateCase(t, SJ_ITEM, 4);
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    const id = (await fc.database.db.query<{ id: number }>('SELECT id FROM follow_ups WHERE rating_id = $1', [ratingId]))[0]!.id;
    const supervisor = await fc.as('supervisor', null, 'sup-later');
    expect(await fc.record(supervisor, Number(id))).toMatchObject({ reasonCodes: [], phoneMasked: null });

    // The citizen picks reasons and leaves a number while the kiosk still asks; the next sync carries them.
    expect(t.kiosk.execute({ type: 'addRatingDetails', ratingId, reasonCodes: ['R04'], callbackPhone: '13700002222', callbackConsent: true }, 'citizen')).toMatchObject({ ok: true });
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    expect(await fc.record(supervisor, Number(id))).toMatchObject({ reasonCodes: ['R04'], phoneMasked: '137****2222', state: 'new' });
    expect(events.filter((e) => e.type === 'follow_up' && e.followUpId === Number(id)).map((e) => e.type === 'follow_up' && e.state)).toEqual(['new']);
  });

  it('lets one of two people acting on a record at the same moment move it; the other is told its state changed', async () => {
    const t = await windowKiosk(fc, '15', open);
    const ratingId = rateCase(t, SJ_ITEM, 5);
    expect(await t.client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    const id = Number((await fc.database.db.query<{ id: number }>('SELECT id FROM follow_ups WHERE rating_id = $1', [ratingId]))[0]!.id);
    const supervisor = await fc.as('supervisor', null, 'sup-race');
    await fc.as('follow_up', '340104-SJ', 'fu-race');
    expect((await fc.call(supervisor, 'POST', '/follow-ups/:id/actions', { params: { id }, body: { action: 'assign', assignee: 'fu-race' } })).status).toBe(200);
    const [a, b] = await Promise.all([
      signInConsole(fc.centre.centre.app, 'fu-race').then((s) => fc.call(s, 'POST', '/follow-ups/:id/actions', { params: { id }, body: { action: 'call', result: 'reached', attempts: 1, note: '第一次' } })),
      signInConsole(fc.centre.centre.app, 'fu-race').then((s) => fc.call(s, 'POST', '/follow-ups/:id/actions', { params: { id }, body: { action: 'call', result: 'reached', attempts: 1, note: '第二次' } })),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const calls = await fc.database.db.query<{ n: number }>("SELECT count(*)::integer AS n FROM follow_up_trail WHERE follow_up_id = $1 AND action = 'call'", [id]);
    expect(calls[0]!.n).toBe(1);
  });
});
