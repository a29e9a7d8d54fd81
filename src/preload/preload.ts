/**
 * The preload exposes `window.cordial`: named functions of the kiosk API over one IPC
 * channel, and nothing raw; the staff panel also gets `window.cordialPrinting`, its slip
 * printer. The main process decides the caller's role from the window.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, buildApi, type ScreenRole } from '../shared/api';
import type { KioskEvent } from '../shared/contract';
import { PRINT_CHANNEL, type PrintingBridge } from '../shared/slip';

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
  // The staff panel prints the 一次告知 slip; the main process picks the printer and paper.
  if (role === 'staff') {
    const printing: PrintingBridge = {
      printers: () => ipcRenderer.invoke(PRINT_CHANNEL, { action: 'printers' }),
      printSlip: (request = {}) => ipcRenderer.invoke(PRINT_CHANNEL, { action: 'printSlip', ...request }),
    };
    contextBridge.exposeInMainWorld('cordialPrinting', printing);
  }
}

exposeCordial(globalThis.location?.pathname ?? '');
