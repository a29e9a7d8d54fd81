/**
 * The live status never queues the past (unit test: a real kiosk, a stand-in for the centre
 * that holds its answer): while one status is out, what staff do folds into one status sent
 * after it, built from the window as it is then; and the core's commands never wait for it.
 */
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startStatusSender, type StatusSender } from '../../src/core/live/status-sender';
import { saveCredentials } from '../../src/core/sync/credentials';
import type { FetchLike } from '../../src/core/sync/http';
import { STATUS_PATH, WindowStatus } from '../../src/shared/live-status';
import { openTerminal, type Terminal } from './support/terminal';

const ARRIVAL = { timeout: 30_000, interval: 10 };

describe('live status while the centre is slow to answer', () => {
  const open: { t?: Terminal; s?: StatusSender; held?: (() => void)[] } = {};
  afterEach(async () => {
    for (const release of open.held?.splice(0) ?? []) release();
    await open.s?.stop();
    open.t?.kiosk.close();
  });

  it('sends one status for everything that happened meanwhile, the latest, and keeps none of the rest', async () => {
    const t = (open.t = openTerminal({ windowNo: '7' }));
    saveCredentials(t.kiosk.db, { centreUrl: 'http://127.0.0.1:8470', terminalId: t.kiosk.terminal.terminalId, windowNo: '7', token: 'terminal-token', signingKey: 'unused', enrolledAt: 0 });
    const sent: { url: string; auth: string | null; status: WindowStatus }[] = [];
    const held: (() => void)[] = (open.held = []);
    const centre: FetchLike = async (input, init) => {
      const body = Buffer.from(await (init!.body as Blob).arrayBuffer());
      const headers = init!.headers as Record<string, string>;
      sent.push({ url: String(input), auth: headers.authorization ?? null, status: WindowStatus.parse(JSON.parse(gunzipSync(body).toString('utf8'))) });
      await new Promise<void>((resolve) => held.push(resolve));
      return new Response(null, { status: 204 });
    };
    const s = (open.s = startStatusSender({ kiosk: t.kiosk, clock: t.clock, centreUrl: null, appVersion: '2.3.0', fetch: centre }));
    await vi.waitFor(() => expect(sent).toHaveLength(1), ARRIVAL);
    expect(sent[0]).toMatchObject({ url: `http://127.0.0.1:8470${STATUS_PATH}`, auth: 'Bearer terminal-token', status: { phase: 'closed', seq: 1 } });

    // Staff work on while the centre has not answered: every command is done at once.
    for (const command of [
      { type: 'signInBadge', badgeId: 'BADGE-1001' },
      { type: 'openCase', itemCode: '340104-SJ-001' },
      { type: 'finishCase', outcome: 'completed' },
    ] as const) {
      expect(t.kiosk.execute(command, 'staff').ok).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
    // A beat falls due meanwhile too, and the rating window passes unrated: the window is idle again.
    t.clock.advance(15_000);
    expect(t.kiosk.snapshot().phase).toBe('idle');
    expect(sent).toHaveLength(1);

    held.shift()!();
    await vi.waitFor(() => expect(sent).toHaveLength(2), ARRIVAL);
    expect(sent[1]!.status).toMatchObject({ phase: 'idle', seq: 2, case: null, staff: { staffNo: t.kiosk.snapshot().staff!.staffNo }, today: { served: 1, rated: 0 } });
    held.shift()!();
    await vi.waitFor(() => expect(s.counts.sent).toBe(2), ARRIVAL);
    // Nothing else was waiting: no status of the sign-in or the open case ever goes out.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sent.map((x) => x.status.phase)).toEqual(['closed', 'idle']);
  });
});
