/**
 * Rotating a terminal's token from the console, on a real PostgreSQL with a real kiosk: the
 * admin asks while an upload is under way; the upload finishes with the old token, the
 * kiosk fetches its new one at the end of the same sync, nothing is lost, and the old token
 * stops working once the grace period has passed (the centre's clock moved by hand).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSyncClient, type SyncClient } from '../../src/core/sync';
import { readCredentials } from '../../src/core/sync/credentials';
import { IT_ROUTES, type NewEnrolmentCode, type TerminalRow } from '../../src/shared/console/contract';
import { TOKEN_ROTATE_HEADER } from '../../src/shared/token-rotation';
import type { TestDatabase } from '../sync/support/backends';
import { openTerminal, outboxCount, serveCase, type Terminal } from '../sync/support/terminal';
import type { ConsoleSession } from './support/console-session';
import { count, openItDatabase, startItCentre, type ItCentre } from './it-helpers';

const HOUR = 3_600_000;

describe('token rotation from the console', () => {
  let database: TestDatabase;
  let centre: ItCentre;
  const kiosks: Terminal[] = [];

  beforeAll(async () => {
    database = await openItDatabase('postgres');
  }, 120_000);
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

  async function enrolled(itUser: ConsoleSession, onBatch?: () => Promise<void>): Promise<{ t: Terminal; client: SyncClient; terminalId: string }> {
    const made = await centre.call(itUser, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '3', expiresInHours: 24 } });
    const t = openTerminal({ clock: centre.clock, windowNo: '3' });
    kiosks.push(t);
    let batches = 0;
    const client = createSyncClient({
      db: t.kiosk.db,
      terminalId: t.kiosk.terminal.terminalId,
      centreUrl: centre.url,
      clock: t.clock,
      batchSize: 4,
      retry: { attempts: 1 },
      // The console acts while the first batch is on its way: the upload is then under way with the old token.
      fetch: async (input, init) => {
        const answer = fetch(input, init);
        if (String(input).endsWith('/v1/batches') && batches++ === 0) await onBatch?.();
        return answer;
      },
    });
    expect(await client.enrol((made.body as unknown as NewEnrolmentCode).code)).toMatchObject({ ok: true });
    return { t, client, terminalId: t.kiosk.terminal.terminalId };
  }

  it('an upload under way when the admin rotates loses nothing, the kiosk takes the new token, and the old one stops after the grace period', async () => {
    const admin = await centre.as('admin', null, 'it-wang');
    let rotated: TerminalRow | null = null;
    const { t, client, terminalId } = await enrolled(admin, async () => {
      const answer = await centre.call(admin, 'POST', IT_ROUTES.rotateTerminalToken, { params: { terminalId } });
      expect(answer.status).toBe(200);
      rotated = answer.body as unknown as TerminalRow;
    });
    const oldToken = readCredentials(t.kiosk.db)!.token;
    for (let i = 0; i < 5; i++) serveCase(t, (1 + (i % 5)) as 1 | 2 | 3 | 4 | 5);
    const written = outboxCount(t.kiosk);
    expect(written).toBeGreaterThan(8);

    const result = await client.syncNow();
    expect(result).toMatchObject({ ok: true, pending: 0, sent: written });
    expect(rotated!.token.rotationAskedAt).toBe(centre.clock.now());
    expect(await count(database.db, 'records', `terminal_id = '${terminalId}'`)).toBe(written);

    const newToken = readCredentials(t.kiosk.db)!.token;
    expect(newToken).not.toBe(oldToken);
    const listed = ((await centre.call(admin, 'GET', IT_ROUTES.terminals)).body.terminals as TerminalRow[]).find((r) => r.terminalId === terminalId)!;
    expect(listed.token).toEqual({ rotationAskedAt: null, rotatedAt: centre.clock.now(), previousValidUntil: centre.clock.now() + 24 * HOUR });

    // Within the grace period both tokens work; the old one is told to fetch the new one.
    const withOld = await centre.v1('GET', '/v1/config', oldToken);
    expect(withOld.status).toBe(200);
    expect(withOld.headers.get(TOKEN_ROTATE_HEADER)).toBe('due');
    const withNew = await centre.v1('GET', '/v1/config', newToken);
    expect(withNew.status).toBe(200);
    expect(withNew.headers.get(TOKEN_ROTATE_HEADER)).toBeNull();

    centre.clock.advance(24 * HOUR + 1);
    const late = await centre.v1('GET', '/v1/config', oldToken);
    expect(late.status).toBe(401);
    expect((late.body.error as { message: string }).message).toContain('replaced by a new one and stopped working');
    // The window carries on with its new token.
    serveCase(t, 4);
    expect(await client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    expect(await count(database.db, 'records', `terminal_id = '${terminalId}'`)).toBe(outboxCount(t.kiosk));
  }, 60_000);

  it('a kiosk whose answer with the new token was lost asks again with the old one, and the old one keeps its first deadline', async () => {
    const admin = await centre.as('admin', null, 'it-wang');
    const { t, client, terminalId } = await enrolled(admin);
    await centre.call(admin, 'POST', IT_ROUTES.rotateTerminalToken, { params: { terminalId } });
    const oldToken = readCredentials(t.kiosk.db)!.token;
    // The centre answers, the kiosk never hears it.
    const lost = await centre.v1('POST', '/v1/token/rotate', oldToken);
    expect(lost.status).toBe(200);
    const deadline = Number(lost.body.previousValidUntil);
    centre.clock.advance(10 * 60_000);

    serveCase(t, 5);
    expect(await client.syncNow()).toMatchObject({ ok: true, pending: 0 });
    const current = readCredentials(t.kiosk.db)!.token;
    expect(current).not.toBe(oldToken);
    expect(current).not.toBe(lost.body.token);
    expect((await centre.v1('GET', '/v1/config', String(lost.body.token))).status).toBe(401);
    const row = ((await centre.call(admin, 'GET', IT_ROUTES.terminals)).body.terminals as TerminalRow[]).find((r) => r.terminalId === terminalId)!;
    expect(row.token.previousValidUntil).toBe(deadline);
  }, 60_000);

  it('only an admin rotates, a revoked terminal cannot be rotated, and an unknown one is named', async () => {
    const admin = await centre.as('admin', null, 'it-wang');
    const { terminalId } = await enrolled(admin);
    const supervisor = await centre.as('supervisor', null, 'sup-li');
    expect((await centre.call(supervisor, 'POST', IT_ROUTES.rotateTerminalToken, { params: { terminalId } })).status).toBe(403);
    const unknown = await centre.call(admin, 'POST', IT_ROUTES.rotateTerminalToken, { params: { terminalId: 'nobody' } });
    expect(unknown.status).toBe(404);
    expect((unknown.body.error as { message: string }).message).toContain('no terminal nobody');
    await centre.call(admin, 'POST', IT_ROUTES.revokeTerminal, { params: { terminalId } });
    const revoked = await centre.call(admin, 'POST', IT_ROUTES.rotateTerminalToken, { params: { terminalId } });
    expect(revoked.status).toBe(409);
    expect((revoked.body.error as { code: string }).code).toBe('terminal-revoked');
  }, 60_000);
});
