/**
 * IT at the console, on a real PostgreSQL and on PGlite: an enrolment code made in the
 * console enrols a real kiosk once; a revoked code and a revoked terminal are refused;
 * the terminals list shows what the centre knows of each window; nobody but an admin
 * can do any of it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncClient } from '../../src/core/sync';
import { IT_ROUTES, type EnrolmentCodeRow, type NewEnrolmentCode, type TerminalRow } from '../../src/shared/console/contract';
import type { TestDatabase } from '../sync/support/backends';
import { openTerminal, serveCase, type Terminal } from '../sync/support/terminal';
import { BACKENDS, count, openItDatabase, startItCentre, type ItCentre } from './it-helpers';

describe.each(BACKENDS)('terminals and enrolment codes on %s', (backend) => {
  let database: TestDatabase;
  let centre: ItCentre;
  const kiosks: Terminal[] = [];

  beforeAll(async () => {
    database = await openItDatabase(backend);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startItCentre(database.db);
  });
  afterEach(async () => {
    for (const t of kiosks.splice(0)) t.kiosk.close();
    await centre.close();
  });

  const kiosk = (windowNo: string) => {
    const t = openTerminal({ clock: centre.clock, windowNo });
    kiosks.push(t);
    return t;
  };
  const client = (t: Terminal) => createSyncClient({ db: t.kiosk.db, terminalId: t.kiosk.terminal.terminalId, centreUrl: centre.url, clock: t.clock, retry: { attempts: 1 } });

  it('an IT user makes a code that a real kiosk enrols with once; the list never shows the code', async () => {
    const itUser = await centre.as('admin', null, 'it-zhou');
    const made = await centre.call(itUser, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '12', expiresInHours: 24 } });
    expect(made.status).toBe(201);
    const code = made.body as unknown as NewEnrolmentCode;
    expect(code).toMatchObject({ windowNo: '12', state: 'usable', createdBy: 'it-zhou', expiresAt: centre.clock.now() + 24 * 3_600_000 });
    expect(code.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const listed = await centre.call(itUser, 'GET', IT_ROUTES.enrolmentCodes);
    expect(listed.text).not.toContain(code.code);
    expect(listed.text).not.toContain(code.code.replace(/-/g, ''));
    expect((listed.body.codes as EnrolmentCodeRow[]).map((c) => [c.id, c.state])).toEqual([[code.id, 'usable']]);

    const first = kiosk('12');
    const enrolled = await client(first).enrol(code.code);
    expect(enrolled).toMatchObject({ ok: true, windowNo: '12', terminalId: first.kiosk.terminal.terminalId });
    serveCase(first, 1);
    expect(await client(first).syncNow()).toMatchObject({ ok: true });

    // The same code a second time: refused, nobody else enrolled.
    const second = kiosk('12');
    const again = await client(second).enrol(code.code);
    expect(again.ok).toBe(false);
    expect(await count(database.db, 'terminals')).toBe(1);
    const used = (await centre.call(itUser, 'GET', IT_ROUTES.enrolmentCodes)).body.codes as EnrolmentCodeRow[];
    expect(used[0]).toMatchObject({ state: 'used', usedBy: first.kiosk.terminal.terminalId });

    // The terminal as IT sees it: window, contact, the records held.
    await centre.call(itUser, 'PUT', IT_ROUTES.window, { params: { windowNo: '12' }, body: { departmentCode: '340104-SJ', departmentName: '市场监督管理局' } });
    const terminals = (await centre.call(itUser, 'GET', IT_ROUTES.terminals)).body.terminals as TerminalRow[];
    const held = Number((await database.db.query<{ n: number }>('SELECT max(seq)::integer AS n FROM records'))[0]!.n);
    expect(held).toBeGreaterThan(0);
    expect(terminals).toEqual([
      expect.objectContaining({
        terminalId: first.kiosk.terminal.terminalId,
        windowNo: '12',
        departmentName: '市场监督管理局',
        revokedAt: null,
        lastContactAt: centre.clock.now(),
        epochs: [expect.objectContaining({ epoch: 1, highWater: held })],
        openAlerts: 0,
      }),
    ]);
  });

  it('a revoked code is refused at the window, and a revoked terminal can no longer upload', async () => {
    const itUser = await centre.as('admin');
    const made = (await centre.call(itUser, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '3' } })).body as unknown as NewEnrolmentCode;
    const revoked = await centre.call(itUser, 'POST', IT_ROUTES.revokeEnrolmentCode, { params: { codeId: made.id } });
    expect(revoked.body).toMatchObject({ id: made.id, state: 'revoked', revokedAt: centre.clock.now() });
    const refused = await client(kiosk('3')).enrol(made.code);
    expect(refused.ok).toBe(false);
    expect(await count(database.db, 'terminals')).toBe(0);

    const fresh = (await centre.call(itUser, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '3' } })).body as unknown as NewEnrolmentCode;
    const t = kiosk('3');
    expect((await client(t).enrol(fresh.code)).ok).toBe(true);
    // A used code cannot be revoked: the sentence points at revoking the terminal.
    const late = await centre.call(itUser, 'POST', IT_ROUTES.revokeEnrolmentCode, { params: { codeId: fresh.id } });
    expect(late.status).toBe(409);
    expect(JSON.stringify(late.body)).toMatch(/revoke the terminal instead/);

    const gone = await centre.call(itUser, 'POST', IT_ROUTES.revokeTerminal, { params: { terminalId: t.kiosk.terminal.terminalId } });
    expect(gone.body).toMatchObject({ terminalId: t.kiosk.terminal.terminalId, revokedAt: centre.clock.now() });
    serveCase(t, 2);
    const sync = await client(t).syncNow();
    expect(sync.ok).toBe(false);
    expect(await count(database.db, 'records')).toBe(0);
  });

  it('a supervisor or a page without its CSRF token gets 403 and nothing changes', async () => {
    const supervisor = await centre.as('supervisor');
    for (const [method, route, body] of [
      ['GET', IT_ROUTES.terminals, undefined],
      ['GET', IT_ROUTES.enrolmentCodes, undefined],
      ['POST', IT_ROUTES.enrolmentCodes, { windowNo: '5' }],
    ] as const) {
      const refused = await centre.call(supervisor, method, route, { body });
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.body)).toMatch(/may not use this part of the console/);
    }
    const admin = await centre.as('admin');
    const forged = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '5' }, csrf: false });
    expect(forged.status).toBe(403);
    expect(await count(database.db, 'enrolment_codes')).toBe(0);
    expect((await centre.call(null, 'GET', IT_ROUTES.terminals)).status).toBe(401);

    const bad = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '5', expiresInHours: 24 * 365 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/at most 90 days/);
    expect(await count(database.db, 'enrolment_codes')).toBe(0);
  });
});
