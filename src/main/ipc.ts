/**
 * The one IPC channel. Each message is checked before the core sees it: the sender must
 * be one of Cordial's two windows, showing Cordial's own page, in its main frame; the
 * payload must be a known method with valid params. The role comes from which window
 * sent it, never from the message.
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { z } from 'zod';
import { API_METHODS, type ApiMethod, type ApiResponse, type ScreenRole } from '../shared/api';
import type { KioskError } from '../shared/contract';
import { CITIZEN_URL, STAFF_URL } from './window-options';

export { IPC_CALL_CHANNEL as CALL_CHANNEL, IPC_EVENT_CHANNEL as EVENT_CHANNEL } from '../shared/api';

const Call = z.object({ method: z.enum(API_METHODS as [ApiMethod, ...ApiMethod[]]), params: z.unknown() }).strict();

export interface Screens {
  citizen: WebContents | null;
  staff: WebContents | null;
}

export type Handler = (role: ScreenRole, method: ApiMethod, params: unknown) => Promise<ApiResponse<ApiMethod>>;

const refuse = (message: string): { ok: false; error: KioskError } => ({ ok: false, error: { code: 'unauthorised', message } });

/** Which screen sent this, or why it is not to be trusted. */
export function senderRole(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, screens: Screens): ScreenRole | string {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return 'the message did not come from a main frame';
  const page = frame.url.split(/[?#]/)[0];
  if (event.sender === screens.citizen && page === CITIZEN_URL) return 'citizen';
  if (event.sender === screens.staff && page === STAFF_URL) return 'staff';
  return `the message came from an unknown page (${frame.url.slice(0, 80)})`;
}

export function makeCallHandler(screens: () => Screens, handle: Handler) {
  return async (event: IpcMainInvokeEvent, payload: unknown): Promise<ApiResponse<ApiMethod>> => {
    const role = senderRole(event, screens());
    if (role !== 'citizen' && role !== 'staff') return refuse(role);
    const call = Call.safeParse(payload);
    if (!call.success) return { ok: false, error: { code: 'invalid_command', message: 'malformed request' } };
    return handle(role, call.data.method, call.data.params);
  };
}
