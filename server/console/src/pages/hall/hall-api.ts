/**
 * The hall supervision pages' calls to the centre: the window rules, each window's schedule and
 * the window alerts, every path and body from the hall contract, through the frame's request
 * function (CSRF token, refusals as ApiError).
 */
import {
  HALL_ROUTES,
  IT_ROUTES,
  itPath,
  WindowRules,
  WindowSchedule,
  type ItemRow,
  type WindowAlert,
  type WindowRow,
} from '../../../../../src/shared/console/contract';
import { build, call } from '../../api';

export const hallApi = {
  rules: async () => call<WindowRules>('GET', HALL_ROUTES.windowRules),
  saveRules: async (rules: WindowRules) => call<WindowRules>('PUT', HALL_ROUTES.windowRules, { body: build(WindowRules, rules) }),
  schedule: async (windowNo: string) => call<WindowSchedule>('GET', itPath(HALL_ROUTES.windowSchedule, { windowNo })),
  saveSchedule: async (windowNo: string, schedule: WindowSchedule) =>
    call<WindowSchedule>('PUT', itPath(HALL_ROUTES.windowSchedule, { windowNo }), { body: build(WindowSchedule, schedule) }),
  alerts: async (open: boolean) => call<{ alerts: WindowAlert[] }>('GET', HALL_ROUTES.windowAlerts, { query: { open: open ? 'true' : undefined, limit: 200 } }),
  items: async () => call<{ items: ItemRow[] }>('GET', IT_ROUTES.items),
  windows: async () => call<{ windows: WindowRow[] }>('GET', IT_ROUTES.windows),
};
