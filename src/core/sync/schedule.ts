/**
 * The nightly run: at a local time (default 02:00), plus a random delay so a centre's
 * windows do not all arrive in the same minute.
 */
export interface Nightly {
  /** Local time, HH:MM. */
  at: string;
  jitterMs: number;
  utcOffsetMinutes: number;
}

export const DEFAULT_NIGHTLY: Nightly = { at: '02:00', jitterMs: 30 * 60_000, utcOffsetMinutes: 8 * 60 };

/** The next run strictly after `now`. */
export function nextNightlyRun(now: number, nightly: Nightly, random: () => number): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(nightly.at);
  if (!match) throw new RangeError(`the nightly sync time must be HH:MM, got ${nightly.at}`);
  const minuteOfDay = Number(match[1]) * 60 + Number(match[2]);
  const offsetMs = nightly.utcOffsetMinutes * 60_000;
  const local = now + offsetMs;
  const dayStart = local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
  let target = dayStart + minuteOfDay * 60_000 - offsetMs;
  if (target <= now) target += 86_400_000;
  return target + Math.floor(random() * nightly.jitterMs);
}
