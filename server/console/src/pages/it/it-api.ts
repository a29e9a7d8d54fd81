/**
 * The IT and export pages' calls to the centre: routes and bodies from the console contract,
 * the session's CSRF token on every change, and a refusal as the frame's ApiError.
 */
import type { z } from 'zod';
import {
  AcknowledgeAlertBody,
  BulletinQuery,
  CONSOLE_API,
  IT_ROUTES,
  ItemBody,
  NewEnrolmentCodeBody,
  ReasonBody,
  ReferralTargetBody,
  StaffBody,
  StaffPhotoBody,
  WindowBody,
  itPath,
  type Bulletin,
  type EnrolmentCodeRow,
  type IntegrityAlert,
  type ItemRow,
  type NewEnrolmentCode,
  type ReasonRow,
  type ReferralTargetRow,
  type StaffRow,
  type TerminalRow,
  type WindowRow,
} from '../../../../../src/shared/console/contract';
import { api, ApiError, build, refusalOf } from '../../api';

let csrf: Promise<string> | null = null;
const csrfToken = () => (csrf ??= api.session().then((s) => s?.csrfToken ?? ''));

const checked = build;

async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', route: string, o: { params?: Record<string, string | number>; query?: Record<string, string>; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-cordial-csrf'] = await csrfToken();
  const query = o.query ? `?${new URLSearchParams(o.query).toString()}` : '';
  let response: Response;
  try {
    response = await fetch(`${CONSOLE_API}${itPath(route, o.params)}${query}`, { method, headers, credentials: 'same-origin', body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  } catch {
    throw new ApiError(0, 'offline', 'the centre cannot be reached');
  }
  if (!response.ok) {
    const refusal = await refusalOf(response);
    if (refusal.status === 403 && refusal.code === 'csrf-token-invalid') csrf = null;
    throw refusal;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const itApi = {
  terminals: () => call<{ terminals: TerminalRow[] }>('GET', IT_ROUTES.terminals),
  revokeTerminal: (terminalId: string) => call<TerminalRow>('POST', IT_ROUTES.revokeTerminal, { params: { terminalId } }),
  rotateTerminalToken: (terminalId: string) => call<TerminalRow>('POST', IT_ROUTES.rotateTerminalToken, { params: { terminalId } }),
  alerts: (state: 'open' | 'all') => call<{ alerts: IntegrityAlert[] }>('GET', IT_ROUTES.alerts, { query: { state } }),
  acknowledge: (alertId: number, note: string) => call<IntegrityAlert>('POST', IT_ROUTES.acknowledgeAlert, { params: { alertId }, body: checked(AcknowledgeAlertBody, { note }) }),
  codes: () => call<{ codes: EnrolmentCodeRow[] }>('GET', IT_ROUTES.enrolmentCodes),
  newCode: (input: z.input<typeof NewEnrolmentCodeBody>) => call<NewEnrolmentCode>('POST', IT_ROUTES.enrolmentCodes, { body: checked(NewEnrolmentCodeBody, input) }),
  revokeCode: (codeId: number) => call<EnrolmentCodeRow>('POST', IT_ROUTES.revokeEnrolmentCode, { params: { codeId } }),
  staff: () => call<{ staff: StaffRow[] }>('GET', IT_ROUTES.staff),
  saveStaff: (staffNo: string, input: z.input<typeof StaffBody>) => call<StaffRow>('PUT', IT_ROUTES.staffMember, { params: { staffNo }, body: checked(StaffBody, input) }),
  savePhoto: (staffNo: string, dataUrl: string) => call<StaffRow>('PUT', IT_ROUTES.staffPhoto, { params: { staffNo }, body: checked(StaffPhotoBody, { dataUrl }) }),
  items: () => call<{ items: ItemRow[] }>('GET', IT_ROUTES.items),
  saveItem: (itemCode: string, itemVersion: string, input: z.input<typeof ItemBody>) => call<ItemRow>('PUT', IT_ROUTES.item, { params: { itemCode, itemVersion }, body: checked(ItemBody, input) }),
  reasons: () => call<{ reasons: ReasonRow[] }>('GET', IT_ROUTES.reasons),
  saveReason: (code: string, input: z.input<typeof ReasonBody>) => call<ReasonRow>('PUT', IT_ROUTES.reason, { params: { code }, body: checked(ReasonBody, input) }),
  removeReason: (code: string) => call<{ code: string }>('DELETE', IT_ROUTES.reason, { params: { code } }),
  referralTargets: () => call<{ targets: ReferralTargetRow[] }>('GET', IT_ROUTES.referralTargets),
  saveReferralTarget: (code: string, input: z.input<typeof ReferralTargetBody>) =>
    call<ReferralTargetRow>('PUT', IT_ROUTES.referralTarget, { params: { code }, body: checked(ReferralTargetBody, input) }),
  removeReferralTarget: (code: string) => call<{ code: string }>('DELETE', IT_ROUTES.referralTarget, { params: { code } }),
  windows: () => call<{ windows: WindowRow[] }>('GET', IT_ROUTES.windows),
  saveWindow: (windowNo: string, input: z.input<typeof WindowBody>) => call<WindowRow>('PUT', IT_ROUTES.window, { params: { windowNo }, body: checked(WindowBody, input) }),
  bulletin: (input: z.input<typeof BulletinQuery>) => call<Bulletin>('GET', IT_ROUTES.bulletin, { query: checked(BulletinQuery, input) as Record<string, string> }),
};

/** The CSV is a plain download: a GET carries the session cookie, and the browser saves the file. */
export function csvHref(query: { from: string; to: string; codes?: 'national' | 'provincial' }): string {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  if (query.codes) params.set('codes', query.codes);
  return `${CONSOLE_API}${IT_ROUTES.ratingsCsv}?${params.toString()}`;
}
