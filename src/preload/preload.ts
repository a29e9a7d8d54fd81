/**
 * The preload exposes `window.cordial`: named functions of the kiosk API over one IPC
 * channel, and nothing raw. The main process decides the caller's role from the window.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, buildApi, type ScreenRole } from '../shared/api';
import type { KioskEvent } from '../shared/contract';

export function exposeCordial(page: string): void {
  const role: ScreenRole = page.endsWith('/citizen.html') ? 'citizen' : 'staff';
  const api = buildApi(
    role,
    (method, params) => ipcRenderer.invoke(IPC_CALL_CHANNEL, { method, params }),
    (listener) => {
      const forward = (_event: IpcRendererEvent, event: KioskEvent) => listener(event);
      ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
      return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    },
  );
  contextBridge.exposeInMainWorld('cordial', api);
}

exposeCordial(globalThis.location?.pathname ?? '');
