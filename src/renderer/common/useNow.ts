import { useEffect, useState } from 'react';

/** The page clock, re-read every `intervalMs` while `active`: drives countdowns. */
export function useNow(active: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}

/** Whole seconds left until `deadline` (core clock), corrected for the core/page clock offset. */
export function secondsLeft(deadline: number, now: number, skewMs: number): number {
  return Math.max(0, Math.ceil((deadline - (now + skewMs)) / 1000));
}
