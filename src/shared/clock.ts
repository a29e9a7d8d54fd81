/**
 * Time, injected wherever a rule depends on it (rating windows, keypad heartbeats, retries),
 * so the rule can be tested without waiting. One interface for the core and the drivers:
 * the kiosk hands its own clock to the keypad link.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `fn` at (or soon after) `at`; the returned function cancels it. */
  setTimer(at: number, fn: () => void): () => void;
}

/** The computer's clock. A waiting timer keeps the process running (a driver retrying an unplugged keypad). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(at, fn) {
    const handle = setTimeout(fn, Math.max(0, at - Date.now()));
    return () => clearTimeout(handle);
  },
};

/** Calls `run` once, `ms` from now; the returned function cancels it. */
export function after(clock: Clock, ms: number, run: () => void): () => void {
  return clock.setTimer(clock.now() + Math.max(0, ms), run);
}

/** Calls `run` every `ms` until the returned function is called. */
export function every(clock: Clock, ms: number, run: () => void): () => void {
  let cancel = () => {};
  let stopped = false;
  const arm = () => {
    cancel = after(clock, ms, () => {
      if (stopped) return;
      arm();
      run();
    });
  };
  arm();
  return () => {
    stopped = true;
    cancel();
  };
}
