/**
 * The live channel from a window to the centre (电子监察, standard 11.3.2): a small status on
 * every phase change and at least every STATUS_EVERY_MS while the kiosk runs. Best-effort
 * by design: a lost status loses nothing, because every fact (cases, ratings, sign-ins)
 * also travels through the outbox, exactly once. Nothing here is the only copy of a fact.
 *
 * POST STATUS_PATH with the terminal's bearer token; the centre answers 204, or a refusal
 * in the usual `{ error: { code, message } }` shape.
 */
import { z } from 'zod';
import { LINK_STATES, WINDOW_PHASES } from './domain';

export const STATUS_PATH = '/v1/status';
/** A status at least this often while the kiosk runs. */
export const STATUS_EVERY_MS = 15_000;
/** The centre marks a window stale after this long without news. */
export const STATUS_STALE_MS = 45_000;

const Short = (max: number) => z.string().max(max);
const Count = z.number().int().min(0).max(1_000_000);
const Time = z.number().int().min(0).max(8_640_000_000_000);

export const WindowStatus = z
  .object({
    terminalId: Short(64),
    windowNo: Short(16),
    /** Counts up within one run of the kiosk, so the centre drops a status that arrives after a newer one. */
    seq: z.number().int().min(0),
    /** A fresh value each time the kiosk starts: with seq, orders the statuses of one terminal. */
    runId: Short(64),
    /** The kiosk's clock when it sent this. */
    at: Time,
    phase: z.enum(WINDOW_PHASES),
    /** Present while paused: the reason staff picked, and since when. */
    pause: z.object({ reason: Short(100), since: Time }).strict().nullable(),
    staff: z.object({ staffNo: Short(32), name: Short(64), signedInAt: Time.nullable() }).strict().nullable(),
    case: z
      .object({ itemCode: Short(64), itemName: Short(200), openedAt: Time })
      .strict()
      .nullable(),
    today: z.object({ served: Count, rated: Count, poor: Count }).strict(),
    keypad: z
      .object({
        link: z.enum(LINK_STATES),
        /** Since when the link has been in this state, as far as this run knows. */
        since: Time.nullable(),
      })
      .strict(),
    /** Outbox records not yet acknowledged by the centre. */
    backlog: Count,
    appVersion: Short(32),
  })
  .strict();
export type WindowStatus = z.infer<typeof WindowStatus>;
