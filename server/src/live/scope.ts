/**
 * Who hears which live event (see live-contract.ts): department and follow_up users their
 * own department's work; admins, supervisors and viewers every department's; integrity
 * alerts only admins and supervisors, who look after the terminals. Evaluators hear nothing.
 */
import type { ConsoleRole } from '../../../src/shared/console/contract';
import type { LiveEvent } from '../../../src/shared/console/live-contract';

export const LIVE_ROLES: readonly ConsoleRole[] = ['admin', 'supervisor', 'department', 'follow_up', 'viewer'];

export interface Listener {
  role: ConsoleRole;
  departmentCode: string | null;
}

export function hears(listener: Listener, event: LiveEvent): boolean {
  if (!LIVE_ROLES.includes(listener.role)) return false;
  if (event.type === 'integrity_alert') return listener.role === 'admin' || listener.role === 'supervisor';
  if (listener.role === 'department' || listener.role === 'follow_up') {
    return listener.departmentCode !== null && departmentOf(event) === listener.departmentCode;
  }
  return true;
}

function departmentOf(event: LiveEvent): string | null {
  switch (event.type) {
    case 'window':
      return event.window.departmentCode;
    case 'window_alert':
      return event.alert.departmentCode;
    case 'integrity_alert':
      return null;
    default:
      return event.departmentCode;
  }
}
