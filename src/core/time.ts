/** Local-time arithmetic for the configured time zone (window PCs may run in UTC), and the core's clock. */
import type { Clock } from '../shared/clock';

export type { Clock } from '../shared/clock';

/** The computer's clock for the core: a rating window or checkpoint still waiting never keeps a finished process (the CLI, a bench) alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(at, fn) {
    const handle = setTimeout(fn, Math.max(0, at - Date.now()));
    handle.unref();
    return () => clearTimeout(handle);
  },
};

/**
 * Local time is a fixed offset from UTC. Service centres run on China Standard Time,
 * which has kept +08:00 without daylight saving since 1991, so the offset is exact; it is
 * still configuration for installations elsewhere. (A fixed offset also spares the core
 * the ICU time-zone tables, several megabytes of resident memory.)
 */
export function parseUtcOffset(text: string): number {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`UTC offset must look like +08:00, got ${text}`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(at: number, offsetMinutes: number): LocalParts {
  const d = new Date(at + offsetMinutes * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Start of the local day that contains `at`. */
export function startOfLocalDay(at: number, offsetMinutes: number): number {
  const shifted = at + offsetMinutes * 60_000;
  return shifted - (((shifted % 86_400_000) + 86_400_000) % 86_400_000) - offsetMinutes * 60_000;
}

/** Start of the local month that contains `at`. */
export function startOfLocalMonth(at: number, offsetMinutes: number): number {
  const p = localParts(at, offsetMinutes);
  return Date.UTC(p.year, p.month - 1, 1) - offsetMinutes * 60_000;
}

/** Start of a local calendar day given as YYYY-MM-DD. */
export function startOfLocalDate(date: string, offsetMinutes: number): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`${date} is not a date (YYYY-MM-DD)`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - offsetMinutes * 60_000;
}

/**
 * Extended service (standard 10.5): a case finished at or after the day's closing time, or on
 * a day the window does not open. The day's closing time is the centre's for that date when it
 * sent one (closingTimes, null: not open that day), else the everyday closing time.
 */
export function isAfterHoursOn(at: number, hours: { closingTime: string | null; closingTimes: Record<string, string | null> }, offsetMinutes: number): boolean {
  const p = localParts(at, offsetMinutes);
  const date = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  if (!Object.hasOwn(hours.closingTimes, date)) return isAfterHours(at, hours.closingTime, offsetMinutes);
  const closes = hours.closingTimes[date] ?? null;
  return closes === null || isAfterHours(at, closes, offsetMinutes);
}

/** A case finished at or after the closing time. */
export function isAfterHours(at: number, closingTime: string | null, offsetMinutes: number): boolean {
  if (!closingTime) return false;
  const [h, m] = closingTime.split(':').map(Number) as [number, number];
  const p = localParts(at, offsetMinutes);
  return p.hour * 60 + p.minute >= h * 60 + m;
}

/** ISO 8601 with the offset, for exports people read. */
export function localIso(at: number, offsetMinutes: number): string {
  const p = localParts(at, offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  const abs = Math.abs(offsetMinutes);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
