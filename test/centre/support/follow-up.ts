/**
 * The follow-up tests' centre: real kiosks rate cases (poor ones with reasons and a phone)
 * and sync them through the real HTTP API; console users sign in through the real sign-in
 * route and call the follow-up routes as a page does. The centre's clock is the test's.
 */
import { CONSOLE_API, type ConsoleRole } from '../../../src/shared/console/contract';
import { itPath } from '../../../src/shared/console/it-contract';
import type { FollowUpRecord } from '../../../src/shared/console/follow-up-contract';
import { ManualClock } from '../../support/clock';
import { key } from '../../support/kiosk';
import { openTestDatabase, type Backend, type TestDatabase } from '../../sync/support/backends';
import { startCentre, type TestCentre } from '../../sync/support/centre';
import { enrolledClient, type SyncedTerminal } from '../../sync/support/sync';
import { openTerminal, type Terminal } from '../../sync/support/terminal';
import { consoleSessionAs, type ConsoleSession } from './console-session';

/** Items of two departments in the demo lists. */
export const SJ_ITEM = '340104-SJ-001'; // 市场监督管理局, department 340104-SJ
export const GA_ITEM = '340104-GA-001'; // 公安局, department 340104-GA

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
  headers: Record<string, unknown>;
}

export interface FollowUpCentre {
  database: TestDatabase;
  centre: TestCentre;
  clock: ManualClock;
  as(role: ConsoleRole, departmentCode?: string | null, username?: string): Promise<ConsoleSession>;
  call<T = Record<string, unknown>>(session: ConsoleSession | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', route: string, options?: { params?: Record<string, string | number>; query?: Record<string, string>; body?: unknown }): Promise<Answer<T>>;
  record(session: ConsoleSession, id: number): Promise<FollowUpRecord>;
  close(): Promise<void>;
}

/** A fresh centre database (the shipped calendar in it) and a centre on the test's clock. */
export async function startFollowUpCentre(backend: Backend, clock = new ManualClock(Date.UTC(2026, 1, 12, 1, 0, 0))): Promise<FollowUpCentre> {
  const database = await openTestDatabase(backend);
  // The windows' sync clients stamp batches with the real time, which runs ahead of the test's centre clock.
  const centre = await startCentre(database.db, { now: () => clock.now(), projectAfterMs: 20, maxFutureMs: 5 * 365 * 86_400_000 });
  const call: FollowUpCentre['call'] = async (session, method, route, o = {}) => {
    const query = o.query ? `?${new URLSearchParams(o.query).toString()}` : '';
    const response = await centre.centre.app.inject({
      method,
      url: `${CONSOLE_API}${itPath(route, o.params)}${query}`,
      headers: session ? { ...session.headers, ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}) } : {},
      payload: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    let body: unknown = {};
    try {
      body = response.body ? JSON.parse(response.body) : {};
    } catch {
      body = {};
    }
    return { status: response.statusCode, body: body as never, text: response.body, headers: response.headers };
  };
  return {
    database,
    centre,
    clock,
    as: (role, departmentCode = null, username) => consoleSessionAs({ app: centre.centre.app, db: database.db }, role, departmentCode, username),
    call,
    async record(session, id) {
      const answer = await call<FollowUpRecord>(session, 'GET', '/follow-ups/:id', { params: { id } });
      if (answer.status !== 200) throw new Error(`record ${id}: ${answer.status} ${answer.text}`);
      return answer.body;
    },
    async close() {
      await centre.close();
      await database.close();
    },
  };
}

let eventIds = 1;

function must(result: { ok: boolean; error?: { message: string } }): void {
  if (!result.ok) throw new Error(result.error?.message ?? 'command refused');
}

/** One case served and rated at the window (key 1 非常满意 … 5 非常不满意), with the citizen's reasons and phone if given. */
export function rateCase(t: Terminal, itemCode: string, level: 1 | 2 | 3 | 4 | 5, details?: { reasons: string[]; phone?: string; comment?: string }): string {
  const { kiosk, clock } = t;
  if (kiosk.snapshot().phase === 'closed') must(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
  must(kiosk.execute({ type: 'openCase', itemCode, caseNo: `BJ-${eventIds}` }, 'staff'));
  must(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff'));
  const receipt = kiosk.recordPress(key(level, eventIds++, clock.now()));
  if (receipt.outcome !== 'rating') throw new Error('the press was not counted as a rating');
  kiosk.flushPresses();
  const ratingId = kiosk.snapshot().lastRating?.id;
  if (!ratingId) throw new Error('no rating recorded');
  if (details) {
    must(
      kiosk.execute(
        { type: 'addRatingDetails', ratingId, reasonCodes: details.reasons, callbackPhone: details.phone, callbackConsent: !!details.phone, ...(details.comment ? { comment: details.comment } : {}) },
        'citizen',
      ),
    );
  }
  clock.advance(30_000);
  return ratingId;
}

/** A real kiosk for a window, on the shared clock, enrolled at the centre. */
export async function windowKiosk(fc: FollowUpCentre, windowNo: string, open: Terminal[]): Promise<Terminal & SyncedTerminal> {
  const t = openTerminal({ clock: fc.clock, windowNo });
  open.push(t);
  const synced = await enrolledClient(t, fc.centre, { windowNo });
  return { ...t, ...synced };
}

/** Follow-up records of the database, by rating id. */
export async function recordsByRating(fc: FollowUpCentre): Promise<Map<string, number>> {
  const rows = await fc.database.db.query<{ rating_id: string; n: number }>('SELECT rating_id, count(*)::integer AS n FROM follow_ups GROUP BY rating_id');
  return new Map(rows.map((r) => [r.rating_id, r.n]));
}
