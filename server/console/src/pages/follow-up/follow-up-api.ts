/**
 * The follow-up, calendar and alert pages' calls to the centre: every path and body from the
 * follow-up and live contracts, through the frame's request function (CSRF token, refusals).
 */
import type { z } from 'zod';
import {
  AlertRules,
  CalendarImportBody,
  CalendarYearBody,
  CONSOLE_API,
  FOLLOW_UP_ROUTES,
  FollowUpAction,
  FollowUpQuery,
  FollowUpRatingBody,
  FollowUpSettings,
  itPath,
  LIVE_ROUTES,
  NewWebhookBody,
  type CalendarYear,
  type FollowUpDepartmentCounts,
  type FollowUpOfficer,
  type FollowUpPage,
  type FollowUpRecord,
  type RuleAlert,
  type Webhook,
  type WebhookDelivery,
} from '../../../../../src/shared/console/contract';
import { build, call } from '../../api';

/** The ledger's filters as they stand in the page's address (and in the CSV link). */
export type LedgerFilters = Omit<z.input<typeof FollowUpQuery>, 'limit' | 'after'>;

const recordPath = (route: string, id: number) => itPath(route, { id });

export const followUpApi = {
  ledger: async (filters: LedgerFilters, after?: string) => call<FollowUpPage>('GET', FOLLOW_UP_ROUTES.followUps, { query: build(FollowUpQuery, { ...filters, after, limit: 50 }) }),
  counts: async () => call<{ departments: FollowUpDepartmentCounts[] }>('GET', FOLLOW_UP_ROUTES.followUpCounts),
  record: async (id: number) => call<FollowUpRecord>('GET', recordPath(FOLLOW_UP_ROUTES.followUp, id)),
  act: async (id: number, action: z.input<typeof FollowUpAction>) => call<FollowUpRecord>('POST', recordPath(FOLLOW_UP_ROUTES.followUpAction, id), { body: build(FollowUpAction, action) }),
  rate: async (id: number, body: z.input<typeof FollowUpRatingBody>) => call<FollowUpRecord>('POST', recordPath(FOLLOW_UP_ROUTES.followUpRating, id), { body: build(FollowUpRatingBody, body) }),
  revealPhone: async (id: number) => call<{ phone: string }>('POST', recordPath(FOLLOW_UP_ROUTES.followUpPhone, id), { body: {} }),
  officers: async (department: string | null) =>
    call<{ officers: FollowUpOfficer[] }>('GET', FOLLOW_UP_ROUTES.followUpOfficers, { query: { department: department ?? undefined } }),
  calendar: async (year: number) => call<CalendarYear>('GET', itPath(FOLLOW_UP_ROUTES.calendar, { year })),
  saveCalendar: async (year: number, days: z.input<typeof CalendarYearBody>) => call<CalendarYear>('PUT', itPath(FOLLOW_UP_ROUTES.calendar, { year }), { body: build(CalendarYearBody, days) }),
  importCalendar: async (text: string) => call<{ years: CalendarYear[] }>('POST', FOLLOW_UP_ROUTES.calendarImport, { body: build(CalendarImportBody, { text }) }),
  settings: async () => call<FollowUpSettings>('GET', FOLLOW_UP_ROUTES.followUpSettings),
  saveSettings: async (settings: z.input<typeof FollowUpSettings>) => call<FollowUpSettings>('PUT', FOLLOW_UP_ROUTES.followUpSettings, { body: build(FollowUpSettings, settings) }),
};

export const alertsApi = {
  raised: async (limit = 50) => call<{ alerts: RuleAlert[] }>('GET', LIVE_ROUTES.ruleAlerts, { query: { limit } }),
  rules: async () => call<AlertRules>('GET', LIVE_ROUTES.alertRules),
  saveRules: async (rules: z.input<typeof AlertRules>) => call<AlertRules>('PUT', LIVE_ROUTES.alertRules, { body: build(AlertRules, rules) }),
  webhooks: async () => call<{ webhooks: Webhook[] }>('GET', LIVE_ROUTES.webhooks),
  addWebhook: async (input: z.input<typeof NewWebhookBody>) => call<Webhook>('POST', LIVE_ROUTES.webhooks, { body: build(NewWebhookBody, input) }),
  disableWebhook: async (id: number) => call<unknown>('DELETE', itPath(LIVE_ROUTES.webhook, { id })),
  deliveries: async (limit = 50) => call<{ deliveries: WebhookDelivery[] }>('GET', LIVE_ROUTES.deliveries, { query: { limit } }),
};

/** The CSV is a plain download with the ledger's filters: the browser sends the session cookie. */
export function ledgerCsvHref(filters: LedgerFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') params.set(k, String(v));
  const text = params.toString();
  return `${CONSOLE_API}${FOLLOW_UP_ROUTES.followUpsCsv}${text ? `?${text}` : ''}`;
}

/** Where a record's page is. */
export const recordHref = (id: number) => `/follow-ups/record?id=${id}`;
