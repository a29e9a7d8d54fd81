/**
 * 窗口告警: the alerts of the window rules, those still going on or the recent ones, each with
 * when it started and ended. Department users see their own windows' alerts (the centre decides).
 */
import { useEffect, useState } from 'react';
import type { WindowAlert, WindowRuleKind } from '../../../../../src/shared/console/contract';
import type { LinkState } from '../../../../../src/shared/domain';
import { api } from '../../api';
import { formatters } from '../../i18n';
import { hrefOf, navigate, usePlace } from '../../router';
import { useLoad } from '../../session';
import { hallApi } from './hall-api';
import { useHallStrings, type HallStrings } from './strings';
import './hall.css';

/** An alert still going on is re-read this often, so its duration and end show without a reload. */
const REFRESH_MS = 30_000;

/** The figures each rule's sentence needs; an alert without them is shown in the centre's own words. */
const NEEDS: Record<WindowRuleKind, readonly string[]> = {
  not_open: ['opensAt', 'graceMinutes'],
  long_pause: ['minutes', 'limitMinutes'],
  keypad_offline: ['link', 'minutes', 'limitMinutes'],
  long_case: ['itemName', 'minutes', 'limitMinutes'],
  terminal_silent: ['minutes', 'limitMinutes'],
};

function explain(alert: WindowAlert, hall: HallStrings): string {
  const f = alert.figures;
  if (!NEEDS[alert.rule].every((k) => f[k] !== undefined)) return alert.detail;
  const linkWord = typeof f.link === 'string' && f.link in hall.alerts.links ? hall.alerts.links[f.link as LinkState] : String(f.link ?? '');
  return hall.alerts.explain[alert.rule]({ ...f, linkWord });
}

export function WindowAlertsPage() {
  const { hall, language } = useHallStrings();
  const f = formatters(language);
  const place = usePlace();
  const onlyOpen = place.query.get('all') !== '1';
  const [round, setRound] = useState(0);
  const alerts = useLoad(`hall-alerts-${onlyOpen}-${round}`, () => hallApi.alerts(onlyOpen));
  const departments = useLoad('hall-departments', () => api.departments());
  const departmentName = (code: string | null) => (code === null ? '—' : (departments.data?.find((d) => d.code === code)?.name ?? code));
  useEffect(() => {
    const timer = setInterval(() => setRound((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const lasted = (a: WindowAlert) => hall.alerts.duration(Math.max(0, Math.round(((a.endedAt ?? Date.now()) - a.startedAt) / 60_000)));
  return (
    <section className="page hall-alerts">
      <h1>{hall.alerts.title}</h1>
      <div className="options">
        <label>
          <input type="checkbox" name="only-open" checked={onlyOpen} onChange={(e) => navigate(hrefOf(place.path, { all: e.target.checked ? undefined : '1' }), { replace: true })} />
          {hall.alerts.onlyOpen}
        </label>
        <button type="button" onClick={() => setRound((n) => n + 1)}>{hall.alerts.refresh}</button>
      </div>
      {alerts.error ? <p className="error" role="alert">{alerts.error}</p> : null}
      {alerts.data && alerts.data.alerts.length === 0 ? <p className="empty">{onlyOpen ? hall.alerts.noneOpen : hall.alerts.empty}</p> : null}
      {alerts.data && alerts.data.alerts.length > 0 ? (
        <div className="scroll">
          <table data-testid="window-alerts">
            <thead>
              <tr>
                <th>{hall.alerts.rule}</th><th>{hall.alerts.window}</th><th>{hall.alerts.department}</th><th>{hall.alerts.detail}</th>
                <th>{hall.alerts.started}</th><th>{hall.alerts.ended}</th><th>{hall.alerts.lasted}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.alerts.map((a) => (
                <tr key={a.id} data-alert={a.id} data-rule={a.rule} className={a.endedAt === null ? 'ongoing' : undefined}>
                  <td>{hall.rules.names[a.rule]}</td>
                  <td>{a.windowNo}</td>
                  <td>{departmentName(a.departmentCode)}</td>
                  <td title={a.detail}>{explain(a, hall)}</td>
                  <td>{f.time(a.startedAt)}</td>
                  <td>{a.endedAt === null ? <strong>{hall.alerts.ongoing}</strong> : f.time(a.endedAt)}</td>
                  <td>{lasted(a)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
