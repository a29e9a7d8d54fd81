/**
 * The two windows' options. The citizen window faces the public: kiosk mode, no frame, no
 * menu, nothing to leave it by. Both run sandboxed with context isolation and no Node.
 */
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';

export const APP_ORIGIN = 'app://cordial';
export const CITIZEN_URL = `${APP_ORIGIN}/citizen.html`;
export const STAFF_URL = `${APP_ORIGIN}/staff.html`;

const webPreferences = (preload: string, devTools: boolean) => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  devTools,
});

export function citizenWindowOptions(bounds: Rectangle, preload: string, devTools: boolean): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    kiosk: true,
    fullscreen: true,
    frame: false,
    autoHideMenuBar: true,
    closable: false,
    minimizable: false,
    show: false,
    backgroundColor: '#0b2545',
    title: 'Cordial',
    // The screen speaks the standard phrases when the keypad cannot; nobody touches it before the greeting.
    webPreferences: { ...webPreferences(preload, devTools), autoplayPolicy: 'no-user-gesture-required' },
  };
}

export function staffWindowOptions(bounds: Rectangle, preload: string, devTools: boolean): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    autoHideMenuBar: true,
    show: false,
    title: 'Cordial — 窗口工作台',
    webPreferences: webPreferences(preload, devTools),
  };
}

/**
 * Where the windows go. With two displays: citizen screen on the configured display (1, 2,
 * … in the system's order) or else the first non-primary one, staff panel on the primary.
 * With one display the staff panel takes the left 40% and the citizen screen the rest,
 * not in kiosk mode, so both stay usable.
 */
export function layoutWindows(
  displays: { id: number; bounds: Rectangle }[],
  primaryId: number,
  citizenDisplay: number | null,
): { citizen: Rectangle; staff: Rectangle; kiosk: boolean } {
  const primary = displays.find((d) => d.id === primaryId) ?? displays[0]!;
  const configured = citizenDisplay === null ? undefined : displays[citizenDisplay - 1];
  const citizen = configured ?? displays.find((d) => d.id !== primary.id);
  if (citizen && citizen.id !== primary.id) return { citizen: citizen.bounds, staff: primary.bounds, kiosk: true };
  const b = primary.bounds;
  const staffWidth = Math.round(b.width * 0.4);
  return {
    staff: { x: b.x, y: b.y, width: staffWidth, height: b.height },
    citizen: { x: b.x + staffWidth, y: b.y, width: b.width - staffWidth, height: b.height },
    kiosk: false,
  };
}
