/**
 * Electron main: windows and glue only. The kiosk itself is the same CordialRuntime the
 * browser shell runs; this file places the windows, locks them down and bridges IPC.
 */
import { app, BrowserWindow, dialog, ipcMain, powerSaveBlocker, protocol, screen, session } from 'electron';
import { join } from 'node:path';
import { CordialRuntime } from '../app/runtime';
import { appRoot, resolveDataDir } from '../core/paths';
import { serveAppRequest } from './app-protocol';
import { denyAllPermissions, hardenContents } from './guards';
import { CALL_CHANNEL, EVENT_CHANNEL, makeCallHandler, type Screens } from './ipc';
import { PRINT_CHANNEL, makePrintHandler } from './print';
import { watchRenderer } from './recovery';
import { CITIZEN_URL, STAFF_URL, citizenWindowOptions, layoutWindows, staffWindowOptions } from './window-options';

const RENDERER_DIR = join(appRoot(), 'dist', 'renderer');
const PRELOAD = join(appRoot(), 'dist', 'preload', 'preload.cjs');

// Everything Cordial writes (database, settings, log, exports) is for this user only.
if (process.platform !== 'win32') process.umask(0o077);
// stream: the citizen screen's <audio> clips are served over app://, and media elements need it.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_e, contents) => hardenContents(contents));
  void app.whenReady().then(start);
}

function start(): void {
  const runtime = new CordialRuntime({ dataDir: resolveDataDir(process.argv, process.env), owner: 'Cordial', electronVersion: process.versions.electron ?? null });
  denyAllPermissions(session.defaultSession);
  session.defaultSession.protocol.handle('app', (request) => serveAppRequest(RENDERER_DIR, request));
  powerSaveBlocker.start('prevent-display-sleep');
  if (process.platform === 'win32' && app.isPackaged) app.setLoginItemSettings({ openAtLogin: true });

  const devTools = !app.isPackaged;
  const screens: Screens = { citizen: null, staff: null };
  const place = () => {
    const layout = layoutWindows(screen.getAllDisplays(), screen.getPrimaryDisplay().id, runtime.settings.citizenDisplay);
    citizen.setKiosk(layout.kiosk);
    citizen.setBounds(layout.citizen);
    staff.setBounds(layout.staff);
  };
  const first = layoutWindows(screen.getAllDisplays(), screen.getPrimaryDisplay().id, runtime.settings.citizenDisplay);
  const citizen = new BrowserWindow(citizenWindowOptions(first.citizen, PRELOAD, devTools));
  const staff = new BrowserWindow(staffWindowOptions(first.staff, PRELOAD, devTools));
  screens.citizen = citizen.webContents;
  screens.staff = staff.webContents;
  for (const w of [citizen, staff]) {
    w.once('ready-to-show', () => w.show());
    watchRenderer(w, () => {
      app.relaunch();
      app.exit(0);
    });
  }
  void citizen.loadURL(CITIZEN_URL);
  void staff.loadURL(STAFF_URL);
  for (const event of ['display-added', 'display-removed', 'display-metrics-changed'] as const) screen.on(event as 'display-added', place);

  ipcMain.handle(CALL_CHANNEL, makeCallHandler(() => screens, (role, method, params) => runtime.handle(role, method, params)));
  ipcMain.handle(PRINT_CHANNEL, makePrintHandler(() => screens, () => runtime.settings.slip));
  runtime.onEvent((event) => {
    for (const w of [citizen, staff]) if (!w.isDestroyed()) w.webContents.send(EVENT_CHANNEL, event);
  });
  showSetupCode(runtime.adminSetupCode);
  app.on('second-instance', () => staff.focus());
  app.on('before-quit', () => void runtime.close());
}

/** The first admin PIN's one-time code, on this PC's screen only: no screen's API ever returns it. */
function showSetupCode(code: string | null): void {
  if (!code) return;
  // Without a parent window the dialog blocks nothing: IT can type the code into the admin page beside it.
  void dialog.showMessageBox({
    type: 'info',
    title: 'Cordial',
    message: `管理员 PIN 尚未设置 · No admin PIN is set yet\n\n一次性设置码 · One-time setup code: ${code}`,
    detail:
      '在工作台的「系统设置」中输入此设置码，并设置管理员 PIN。此码只在本机显示，设置后即失效。\n' +
      'Type this code with the new PIN in 系统设置 (Settings) on the staff panel. It is shown on this PC only and stops working once the PIN is set.',
    buttons: ['OK'],
  });
}
