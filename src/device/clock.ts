/** Time for drivers and the simulator, injectable so their timing rules are testable without waiting. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `run` once after `ms`; the returned function cancels it. */
  after(ms: number, run: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

/** Runs `run` every `ms` until the returned function is called. */
export function every(clock: Clock, ms: number, run: () => void): () => void {
  let cancel = () => {};
  let stopped = false;
  const arm = () => {
    cancel = clock.after(ms, () => {
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
