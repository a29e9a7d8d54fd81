/** Local-time arithmetic for the configured time zone (window PCs may run in UTC). */

export interface Clock {
  now(): number;
  /** Calls fn at (or soon after) `at`; returns a cancel function. */
  setTimer(at: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(at, fn) {
    const handle = setTimeout(fn, Math.max(0, at - Date.now()));
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(at: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Start of the local day that contains `at`. */
export function startOfLocalDay(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  return at - (at % 1000) - ((p.hour * 60 + p.minute) * 60 + p.second) * 1000;
}

/** Start of the local month that contains `at`. */
export function startOfLocalMonth(at: number, timeZone: string): number {
  const p = localParts(at, timeZone);
  return startOfLocalDay(at, timeZone) - (p.day - 1) * 86_400_000;
}

/** Extended service (standard 10.5): a case finished at or after the closing time. */
export function isAfterHours(at: number, closingTime: string | null, timeZone: string): boolean {
  if (!closingTime) return false;
  const [h, m] = closingTime.split(':').map(Number) as [number, number];
  const p = localParts(at, timeZone);
  return p.hour * 60 + p.minute >= h * 60 + m;
}

/** ISO 8601 with the zone's offset, for exports people read. */
export function localIso(at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const offset = Math.round((asUtc - (at - (at % 1000))) / 60_000);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
