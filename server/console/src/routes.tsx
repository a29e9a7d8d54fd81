/**
 * The console's pages: one entry each. The nav shows the entries with a label that the
 * signed-in role may use; adding a page is adding an entry here.
 */
import type { ComponentType } from 'react';
import { CONSOLE_ROLES, type ConsoleRole } from '../../../src/shared/console/contract';
import type { Language } from './i18n';
import { AuditPage } from './pages/Audit';
import { DrilldownPage } from './pages/Drilldown';
import { OverviewPage } from './pages/Overview';
import { RankingsPage } from './pages/Rankings';
import { UsersPage } from './pages/Users';
import { BulletinPage } from './pages/it/BulletinPage';
import { ExportsPage } from './pages/it/ExportsPage';
import { ListsPage } from './pages/it/ListsPage';
import { WindowsPage } from './pages/it/WindowsPage';
import { AlertsPage } from './pages/alerts/AlertsPage';
import { AppointmentsPage } from './pages/appointments/AppointmentsPage';
import { SuggestionsPage } from './pages/suggestions/SuggestionsPage';
import { CalendarPage } from './pages/follow-up/CalendarPage';
import { LedgerPage } from './pages/follow-up/LedgerPage';
import { RecordPage } from './pages/follow-up/RecordPage';
import { WindowAlertsPage } from './pages/hall/AlertsPage';
import { RulesPage } from './pages/hall/RulesPage';
import { PrivacyPage } from './pages/privacy/PrivacyPage';
import { PunctualityPage } from './pages/punctuality/PunctualityPage';

export interface ConsoleRoute {
  path: string;
  /** Shown in the nav when present; pages reached by links only (drill-downs) have none. */
  label?: Record<Language, string>;
  roles: readonly ConsoleRole[];
  page: ComponentType;
}

const EVERYONE = CONSOLE_ROLES;
const ADMIN: readonly ConsoleRole[] = ['admin'];
/** Who works or reads the follow-up of poor ratings (evaluators see only the bulletin's figures). */
const FOLLOW_UP: readonly ConsoleRole[] = ['admin', 'supervisor', 'department', 'follow_up', 'viewer'];
/** Who watches the hall's windows, as the centre's hall answers them (department users: their own); evaluators see figures, not people at work. */
const HALL: readonly ConsoleRole[] = ['admin', 'supervisor', 'department', 'follow_up', 'viewer'];

export const ROUTES: readonly ConsoleRoute[] = [
  { path: '/overview', label: { zh: '总览', en: 'Overview' }, roles: EVERYONE, page: OverviewPage },
  { path: '/rankings', label: { zh: '排名', en: 'Rankings' }, roles: EVERYONE, page: RankingsPage },
  { path: '/rankings/ratings', roles: EVERYONE, page: DrilldownPage },
  { path: '/follow-ups', label: { zh: '回访台账', en: 'Follow-ups' }, roles: FOLLOW_UP, page: LedgerPage },
  { path: '/follow-ups/record', roles: FOLLOW_UP, page: RecordPage },
  { path: '/alerts', label: { zh: '提醒', en: 'Alerts' }, roles: FOLLOW_UP, page: AlertsPage },
  { path: '/follow-ups/calendar', label: { zh: '工作日历', en: 'Calendar' }, roles: ADMIN, page: CalendarPage },
  { path: '/hall/alerts', label: { zh: '窗口告警', en: 'Window alerts' }, roles: HALL, page: WindowAlertsPage },
  // Attendance is about people at work: not for evaluators, and follow-up officers work the ledger.
  { path: '/punctuality', label: { zh: '考勤', en: 'Attendance' }, roles: ['admin', 'supervisor', 'department', 'viewer'], page: PunctualityPage },
  { path: '/appointments', label: { zh: '预约登记', en: 'Appointments' }, roles: ['admin', 'supervisor', 'department', 'viewer'], page: AppointmentsPage },
  { path: '/suggestions', label: { zh: '意见簿', en: 'Suggestions' }, roles: ['admin', 'supervisor', 'viewer'], page: SuggestionsPage },
  { path: '/hall/rules', label: { zh: '监察设置', en: 'Supervision' }, roles: ADMIN, page: RulesPage },
  { path: '/windows', label: { zh: '窗口', en: 'Windows' }, roles: ADMIN, page: WindowsPage },
  { path: '/lists', label: { zh: '名单', en: 'Lists' }, roles: ADMIN, page: ListsPage },
  { path: '/exports', label: { zh: '导出', en: 'Exports' }, roles: ['admin', 'supervisor', 'department', 'viewer', 'evaluator'], page: ExportsPage },
  { path: '/exports/bulletin', roles: ['admin', 'supervisor', 'department', 'viewer', 'evaluator'], page: BulletinPage },
  { path: '/users', label: { zh: '用户', en: 'Users' }, roles: ADMIN, page: UsersPage },
  { path: '/audit', label: { zh: '审计', en: 'Audit' }, roles: ADMIN, page: AuditPage },
  { path: '/privacy', label: { zh: '个人信息', en: 'Personal data' }, roles: ADMIN, page: PrivacyPage },
];

export function routeFor(path: string): ConsoleRoute | undefined {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return ROUTES.find((r) => r.path === trimmed);
}

/** Where a role lands after sign-in, or on `/`. */
export function homeFor(role: ConsoleRole): string {
  // A follow-up officer's work is the ledger, not the figures.
  if (role === 'follow_up') return '/follow-ups';
  return ROUTES.find((r) => r.label && r.roles.includes(role))?.path ?? '/overview';
}
