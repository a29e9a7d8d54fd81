/**
 * The window's live status to its centre (src/shared/live-status.ts): on every change a
 * person at the hall's wall would notice (phase, staff, case, pause, keypad link, today's
 * figures) and at least every STATUS_EVERY_MS while the kiosk runs, with the terminal's
 * token, only to the centre it enrolled with.
 *
 * Best-effort, and never in the core's way: the kiosk's events only mark the status as
 * changed, and the status is built and sent on a later turn, one request at a time. There
 * is no queue: while a request is out, later changes fold into the one status sent after
 * it, built from the kiosk as it is then. A failure is one log line a minute at most; the
 * facts behind the status travel through the outbox whatever happens here.
 */
import { randomUUID } from 'node:crypto';
import type { Snapshot, TodayFigures } from '../../shared/contract';
import type { LinkState } from '../../shared/domain';
import { STATUS_EVERY_MS, STATUS_PATH, WindowStatus } from '../../shared/live-status';
import type { Kiosk } from '../kiosk';
import type { Log } from '../log';
import type { CentreTrustSettings } from '../sync/client';
import { readCredentials, type Credentials } from '../sync/credentials';
import { callCentre, centreMessage, type FetchLike } from '../sync/http';
import { centreFetch, plaintextRefusal } from '../sync/transport';
import type { Clock } from '../time';

export interface StatusSenderOptions {
  kiosk: Pick<Kiosk, 'subscribe' | 'snapshot' | 'today' | 'db' | 'terminal'>;
  clock: Clock;
  log?: Log;
  /** The address IT set; the token goes there only when it is the enrolled centre's origin, else to the enrolled address. */
  centreUrl?: string | null;
  appVersion: string;
  /** How the centre is trusted, as the sync client trusts it (kiosk.config.centre): plaintext, CA, key pin. */
  trust?: Partial<CentreTrustSettings>;
  everyMs?: number;
  timeoutMs?: number;
  fetch?: FetchLike;
  /** How long after a change the status goes out, so a burst of events sends one status. */
  settleMs?: number;
}

export interface StatusSender {
  /** Sends the kiosk's status as soon as no request is out. */
  poke(): void;
  /** Stops sending; resolves when a request that is out has ended. */
  stop(): Promise<void>;
  /** Statuses the centre accepted and failed sends, since start (diagnostics and tests). */
  readonly counts: { sent: number; failed: number };
}

const FAILURE_LOG_EVERY_MS = 60_000;

const cut = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

/** What the wall shows of the window: a change in it is sent at once. */
function shownKey(s: Snapshot, today: TodayFigures): string {
  return JSON.stringify([s.phase, s.staff?.staffNo ?? null, s.pause, s.case?.id ?? null, s.keypad.link, today.cases, today.rated, today.poor]);
}

function trimUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export function startStatusSender(o: StatusSenderOptions): StatusSender {
  const { kiosk, clock } = o;
  const everyMs = o.everyMs ?? STATUS_EVERY_MS;
  const timeoutMs = o.timeoutMs ?? 5_000;
  const settleMs = o.settleMs ?? 50;
  const runId = randomUUID();
  let seq = 0;
  let stopped = false;
  let inFlight: Promise<void> | null = null;
  /** A send was asked for while a request was out: null none, else whether it must go even unchanged. */
  let again: boolean | null = null;
  let settle: NodeJS.Timeout | null = null;
  let cancelBeat: (() => void) | null = null;
  let lastSent: string | null = null;
  let link: { state: LinkState; since: number | null } | null = null;
  /** Who is signed in and since when, as far as this run saw it happen (null: signed in before it started). */
  let onDuty: { staffNo: string | null; since: number | null } | null = null;
  let lastFailureLog = -Infinity;
  let failing = false;
  const counts = { sent: 0, failed: 0 };

  const trust: CentreTrustSettings = { allowPlaintext: false, caCertificate: null, pin: null, ...o.trust };
  const fetchers = new Map<string, FetchLike>();
  /** The sync client's checks, the same way: the CA IT gave, the pin IT typed or the one seen at enrolment. */
  const fetchFor = (credentials: Credentials): FetchLike => {
    if (o.fetch) return o.fetch;
    const pin = trust.pin === null ? null : trust.pin === 'enrolment' ? (credentials.centrePin ?? null) : trust.pin;
    let made = fetchers.get(pin ?? '');
    if (!made) fetchers.set(pin ?? '', (made = centreFetch({ ca: trust.caCertificate, pin })));
    return made;
  };

  /** Where the token may go: the enrolled origin only, over https unless loopback or allowed; else why not. */
  const target = (enrolled: string): { url: string } | { refused: string } => {
    const configured = o.centreUrl ? trimUrl(o.centreUrl) : null;
    const url = configured && originOf(configured) === originOf(enrolled) ? configured : trimUrl(enrolled);
    const plaintext = plaintextRefusal(url, trust.allowPlaintext);
    if (plaintext) return { refused: plaintext.message };
    if (trust.pin !== null && !url.startsWith('https:')) return { refused: `a pinned key needs an https:// centre address, and ${url} is not one` };
    return { url };
  };

  /** The status now, or null when nothing shown changed since the last one sent and `force` is off. */
  const statusNow = (windowNo: string, force: boolean): WindowStatus | null => {
    const s = kiosk.snapshot();
    const today = kiosk.today();
    const at = clock.now();
    if (!link || link.state !== s.keypad.link) link = { state: s.keypad.link, since: link ? at : null };
    const staffNo = s.staff?.staffNo ?? null;
    if (!onDuty || onDuty.staffNo !== staffNo) onDuty = { staffNo, since: onDuty ? at : null };
    const key = shownKey(s, today);
    if (!force && key === lastSent) return null;
    lastSent = key;
    const status = {
      terminalId: kiosk.terminal.terminalId,
      windowNo,
      seq: ++seq,
      runId,
      at,
      phase: s.phase,
      pause: s.pause ? { reason: cut(s.pause.reason, 100), since: s.pause.since } : null,
      staff: s.staff ? { staffNo: cut(s.staff.staffNo, 32), name: cut(s.staff.name, 64), signedInAt: onDuty.since } : null,
      case: s.case ? { itemCode: cut(s.case.itemCode, 64), itemName: cut(s.case.itemName, 200), openedAt: s.case.openedAt } : null,
      today: { served: today.cases, rated: today.rated, poor: today.poor },
      keypad: { link: s.keypad.link, since: link.since },
      backlog: s.sync.pending,
      appVersion: cut(o.appVersion, 32),
    };
    const checked = WindowStatus.safeParse(status);
    if (checked.success) return checked.data;
    failed(`the window's status could not be put in the live format (${checked.error.issues[0]?.message ?? 'invalid'})`);
    return null;
  };

  const failed = (why: string) => {
    counts.failed += 1;
    failing = true;
    const now = clock.now();
    if (now - lastFailureLog < FAILURE_LOG_EVERY_MS) return;
    lastFailureLog = now;
    o.log?.warn(`live status not sent to the centre: ${why} (the records still go through the outbox; retrying)`);
  };

  async function sendOnce(force: boolean): Promise<void> {
    const credentials = readCredentials(kiosk.db);
    if (!credentials) return; // Not enrolled: nobody to tell.
    const to = target(credentials.centreUrl);
    if ('refused' in to) return failed(to.refused);
    const status = statusNow(credentials.windowNo, force);
    if (!status) return;
    const answer = await callCentre(
      { method: 'POST', url: `${to.url}${STATUS_PATH}`, token: credentials.token, json: JSON.stringify(status), timeoutMs },
      fetchFor(credentials),
    );
    if (answer.status >= 200 && answer.status < 300) {
      counts.sent += 1;
      if (failing) o.log?.info('live status reaches the centre again');
      failing = false;
      return;
    }
    // A change that did not arrive goes with the next event, not only the next beat.
    lastSent = null;
    failed(centreMessage(answer));
  }

  const send = (force: boolean) => {
    if (stopped) return;
    if (inFlight) {
      again = (again ?? false) || force;
      return;
    }
    inFlight = sendOnce(force)
      .catch((err: unknown) => failed((err as Error).message))
      .finally(() => {
        inFlight = null;
        const next = again;
        again = null;
        if (next !== null && !stopped) send(next);
      });
  };

  const beat = () => {
    cancelBeat = clock.setTimer(clock.now() + everyMs, () => {
      send(true);
      beat();
    });
  };

  /** Looks for a change a moment later: a burst of events costs one look and at most one status. */
  const poke = () => {
    if (stopped || settle) return;
    settle = setTimeout(() => {
      settle = null;
      send(false);
    }, settleMs);
    settle.unref?.();
  };

  const unsubscribe = kiosk.subscribe((event) => {
    if (event.type === 'snapshot' && !stopped) poke();
  });

  // The first status at once: the centre learns the window runs.
  send(true);
  beat();

  return {
    poke,
    counts,
    async stop() {
      stopped = true;
      unsubscribe();
      cancelBeat?.();
      if (settle) clearTimeout(settle);
      await inFlight;
    },
  };
}
