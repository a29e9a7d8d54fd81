/**
 * The sync token belongs to the centre that issued it. Changing the centre address in the
 * admin page must not carry the token to whatever answers at the new address: the window
 * says it must be enrolled again, and after that it syncs with the new centre.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncClientFor, type SyncClient } from '../../src/core/sync';
import { startFakeCentre, type FakeCentre } from './client-fake-centre';
import { openTerminal, recordUntil, type Terminal } from './support/terminal';

const open: { centres: FakeCentre[]; clients: SyncClient[]; terminal?: Terminal } = { centres: [], clients: [] };
afterEach(async () => {
  for (const c of open.clients.splice(0)) await c.stop();
  open.terminal?.kiosk.close();
  delete open.terminal;
  for (const c of open.centres.splice(0)) await c.close();
});

/** The sync client as the kiosk builds it after the admin page saved `centreUrl`. */
function clientAt(t: Terminal, centreUrl: string): SyncClient {
  const client = syncClientFor(t.kiosk, { centreUrl, retry: { attempts: 2, baseMs: 1, capMs: 5, maxRetryAfterMs: 100 } });
  open.clients.push(client);
  return client;
}

describe('the centre address changes after enrolment', () => {
  it('sends the token nowhere new, says to enrol again, and syncs with the new centre once enrolled there', async () => {
    const first = await startFakeCentre('first');
    const second = await startFakeCentre('second');
    open.centres.push(first, second);
    const t = openTerminal();
    open.terminal = t;
    recordUntil(t, 10);
    const atFirst = clientAt(t, first.url);
    expect(await atFirst.enrol('K7QX-92MD-4TPA')).toMatchObject({ ok: true });
    expect(await atFirst.syncNow()).toMatchObject({ ok: true, sent: 10 });
    await atFirst.stop();
    recordUntil(t, 14);

    const moved = clientAt(t, `${second.url}/`);
    const changed = `the centre address changed from ${first.url} to ${second.url}: enrol this window again with a new code from the centre admin`;
    expect(await moved.syncNow()).toEqual({ ok: false, error: { code: 'address_changed', message: changed }, sent: 0, pending: 4 });
    expect(await moved.pullConfig()).toEqual({ ok: false, error: { code: 'address_changed', message: changed } });
    expect(second.seen).toEqual([]);
    // The staff panel shows it from the start, before anyone presses sync.
    moved.start();
    expect(t.kiosk.snapshot().sync).toMatchObject({ state: 'error', detail: changed });

    expect(await moved.enrol('M3PV-77QD-2KXA')).toMatchObject({ ok: true, windowNo: '3' });
    expect(await moved.syncNow()).toMatchObject({ ok: true, sent: 4, pending: 0 });
    expect(second.taken.flatMap((b) => b.records.map((r) => r.seq))).toEqual([11, 12, 13, 14]);
    expect(new Set(second.seen.map((s) => s.token))).toEqual(new Set([null, second.issued[0]]));
    expect(second.seen.some((s) => s.token === first.issued[0])).toBe(false);
  });

  it('keeps syncing when the address is written differently but names the same origin', async () => {
    const centre = await startFakeCentre('centre');
    open.centres.push(centre);
    const t = openTerminal();
    open.terminal = t;
    recordUntil(t, 5);
    expect(await clientAt(t, centre.url).enrol('K7QX-92MD-4TPA')).toMatchObject({ ok: true });

    const sameOrigin = clientAt(t, `${centre.url.replace('http://', 'HTTP://')}/`);
    expect(await sameOrigin.syncNow()).toMatchObject({ ok: true, sent: 5, pending: 0 });
  });
});
