/**
 * A renderer that crashes is reloaded. One that keeps crashing (3 times within a minute)
 * is beyond a reload: the whole app relaunches.
 */
import type { BrowserWindow } from 'electron';

export const CRASHES_BEFORE_RELAUNCH = 3;
export const CRASH_WINDOW_MS = 60_000;

export function watchRenderer(window: BrowserWindow, relaunch: () => void, now: () => number = Date.now): void {
  const crashes: number[] = [];
  window.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    const t = now();
    crashes.push(t);
    while (crashes.length > 0 && t - crashes[0]! > CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length >= CRASHES_BEFORE_RELAUNCH) relaunch();
    else window.webContents.reload();
  });
  window.on('unresponsive', () => window.webContents.forcefullyCrashRenderer());
}
