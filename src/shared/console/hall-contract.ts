/**
 * Live hall supervision (电子监察) as the console and the hall's wall screen see it: every
 * window's latest status (src/shared/live-status.ts), whether it is stale, and the live
 * alerts of the window rules. Paths under CONSOLE_API for signed-in people; the wall screen
 * reads the same answers under WALL_API with a read-only wall token instead of an account.
 */
import { z } from 'zod';
import type { WindowStatus } from '../live-status';

/** A window as the hall sees it now. */
export interface LiveWindow {
  windowNo: string;
  departmentCode: string | null;
  departmentName: string | null;
  /** From the window list (settings.floor); null when IT has not said. */
  floor: string | null;
  /** The staff member's photo, when the list has one (IT_ROUTES.staffPhoto for the console, WALL_ROUTES.photo for the wall). */
  hasPhoto: boolean;
  /** The latest status, or null when the window never reported. */
  status: Omit<WindowStatus, 'terminalId' | 'windowNo' | 'seq' | 'runId'> | null;
  terminalId: string | null;
  /** Centre time the latest status arrived. */
  receivedAt: number | null;
  /** No news for STATUS_STALE_MS: the tile says so plainly, whatever the last status said. */
  stale: boolean;
}

export interface Hall {
  windows: LiveWindow[];
  /** The centre's satisfaction today from the windows' own counts: good ÷ rated, null before the first rating. */
  today: { served: number; rated: number; poor: number; satisfaction: number | null };
  /** Live alerts of the window rules, newest first (see WINDOW_RULE_KINDS). */
  alerts: WindowAlert[];
  generatedAt: number;
}

/** Change pushes over the same SSE stream as the follow-up news (LIVE_ROUTES.events), and on the wall's own stream. */
export type HallEvent =
  | { type: 'window'; window: LiveWindow }
  | { type: 'window_alert'; alert: WindowAlert };

// ---------------------------------------------------------------- window rules

/** 8.1 punctuality, pauses, the keypad, 10.3 time limits, silent terminals. */
export const WINDOW_RULE_KINDS = ['not_open', 'long_pause', 'keypad_offline', 'long_case', 'terminal_silent'] as const;
export type WindowRuleKind = (typeof WINDOW_RULE_KINDS)[number];

export interface WindowAlert {
  id: number;
  rule: WindowRuleKind;
  windowNo: string;
  departmentCode: string | null;
  /** The centre's sentence (pause reason, minutes, item…); the console words its own from the figures. */
  detail: string;
  figures: Record<string, string | number>;
  startedAt: number;
  /** When the condition ended; null while it holds. */
  endedAt: number | null;
}

const Minutes = (max: number) =>
  z
    .number({ error: `give a whole number of minutes from 1 to ${max}` })
    .int(`give a whole number of minutes from 1 to ${max}`)
    .min(1, `give a whole number of minutes from 1 to ${max}`)
    .max(max, `give a whole number of minutes from 1 to ${max}`);
const Switch = z.boolean({ error: 'enabled is true or false' });

/** Items with minutes of their own in the long-case rule: more than any centre lists, far fewer than a body can carry. */
export const LONG_CASE_ITEMS_MAX = 5000;
export const WindowRules = z
  .object({
    /** Nobody signed in this long after the window's opening time on a working day. */
    notOpen: z.object({ enabled: Switch, graceMinutes: Minutes(240) }).strict(),
    /** Paused longer than the window's own limit (WindowSchedule.pauseLimitMinutes) or this default. */
    longPause: z.object({ enabled: Switch, defaultLimitMinutes: Minutes(480) }).strict(),
    /** The keypad link not online this long while staff are signed in (a keypad switched off in the settings never counts). */
    keypadOffline: z.object({ enabled: Switch, minutes: Minutes(480) }).strict(),
    longCase: z
      .object({
        enabled: Switch,
        /** Minutes a case of an item may run before it is flagged, by item code; others use the default. */
        defaultMinutes: Minutes(24 * 60),
        byItem: z
          .record(z.string().min(1, 'an item code is not empty').max(64, 'an item code has at most 64 characters'), Minutes(24 * 60))
          .refine((r) => Object.keys(r).length <= LONG_CASE_ITEMS_MAX, `give the minutes of at most ${LONG_CASE_ITEMS_MAX} items; the others use the default`),
      })
      .strict(),
    /** No status this long during the window's opening hours on a working day. */
    terminalSilent: z.object({ enabled: Switch, minutes: Minutes(480) }).strict(),
  })
  .strict();
export type WindowRules = z.infer<typeof WindowRules>;
export const DEFAULT_WINDOW_RULES: WindowRules = {
  notOpen: { enabled: true, graceMinutes: 10 },
  longPause: { enabled: true, defaultLimitMinutes: 30 },
  keypadOffline: { enabled: true, minutes: 5 },
  longCase: { enabled: true, defaultMinutes: 60, byItem: {} },
  terminalSilent: { enabled: true, minutes: 10 },
};

/** Per window: when it opens on each weekday (working days from the centre's calendar), and its pause limit. */
const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time looks like 08:30');
export const WindowSchedule = z
  .object({
    /** Monday first; null: closed that weekday. A 调休 Saturday uses Monday's hours. */
    opensAt: z.array(Clock.nullable()).length(7),
    closesAt: z.array(Clock.nullable()).length(7),
    pauseLimitMinutes: Minutes(480).nullable(),
    floor: z.string().trim().max(32, 'a floor has at most 32 characters').nullable(),
  })
  .strict();
export type WindowSchedule = z.infer<typeof WindowSchedule>;
/** What a window without hours answers: closed every weekday, the default pause limit, no floor. */
export const EMPTY_WINDOW_SCHEDULE: WindowSchedule = { opensAt: [null, null, null, null, null, null, null], closesAt: [null, null, null, null, null, null, null], pauseLimitMinutes: null, floor: null };

// ---------------------------------------------------------------- wall tokens

export const NewWallTokenBody = z
  .object({ name: z.string().trim().min(1, 'name the display, e.g. 一楼大厅').max(64, 'a name has at most 64 characters') })
  .strict();
export interface WallToken {
  id: number;
  name: string;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}
/** The token itself is shown once, inside the wall's address. */
export interface NewWallToken extends WallToken {
  token: string;
  /** The address to open on the display PC: WALL_PAGE with the token. */
  address: string;
}

// ---------------------------------------------------------------- routes

/** Paths under CONSOLE_API. */
export const HALL_ROUTES = {
  hall: '/hall', // GET: Hall (department users: their own windows)
  windowAlerts: '/hall/alerts', // GET ?open=true&limit=: { alerts: WindowAlert[] }
  windowRules: '/hall/rules', // GET: WindowRules; PUT WindowRules (admin)
  windowSchedule: '/hall/windows/:windowNo/schedule', // GET: WindowSchedule; PUT WindowSchedule (admin)
  wallTokens: '/hall/wall-tokens', // GET: { tokens: WallToken[] }; POST NewWallTokenBody: NewWallToken (admin)
  revokeWallToken: '/hall/wall-tokens/:id/revoke', // POST: WallToken (admin)
} as const;

/**
 * The wall screen's own API, read-only. The page posts its token once to `session`
 * (`Authorization: Bearer <wall token>`) and gets an HttpOnly, SameSite=Strict cookie scoped
 * to WALL_API, because EventSource and <img> cannot send headers and a token in a URL ends up
 * in logs. A revoked token ends its cookies too.
 */
export const WALL_API = '/v1/wall';
export const WALL_COOKIE = 'cordial_wall';
export const WALL_ROUTES = {
  session: '/session', // POST (Bearer wall token): 204 + cookie
  hall: '/hall', // GET: Hall
  events: '/events', // GET: text/event-stream of HallEvent and rule alerts
  photo: '/photos/:staffNo', // GET: the staff photo
} as const;
/** The console page the display opens: `${WALL_PAGE}#token=<token>` (a fragment never reaches logs or proxies). */
export const WALL_PAGE = '/wall';

/**
 * What the wall's stream carries: the hall's changes, and the alerts a hall may see. Never
 * follow-up or personal data: a rule alert reaches the wall only for a burst of poor ratings
 * at a window, without its follow-up record, its reasons or the centre's sentence.
 */
export type WallEvent =
  | HallEvent
  | { type: 'rule_alert'; alertId: number; rule: 'poor_burst'; windowNo: string | null; departmentCode: string | null; raisedAt: number };
export const WALL_EVENT_TYPES = ['window', 'window_alert', 'rule_alert'] as const satisfies readonly WallEvent['type'][];

/** The refusal codes the wall words for itself: no usable token, or one an admin revoked. */
export const WALL_REFUSALS = { invalid: 'wall-token-invalid', revoked: 'wall-token-revoked' } as const;
