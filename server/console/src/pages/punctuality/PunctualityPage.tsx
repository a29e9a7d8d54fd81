/**
 * 考勤: late sign-ins, early sign-outs, absent days, pause time by reason and extended service
 * (延时服务) per window and per staff member over the period the picker sets, with how each
 * is counted written on the page, and the whole report as a CSV. Department users see their
 * own department (the centre decides).
 */
import type { PunctualityReport } from '../../../../../src/shared/console/punctuality-contract';
import { PeriodPicker } from '../../parts/PeriodPicker';
import { usePlace } from '../../router';
import { pinnedDepartment, useLoad, useSession } from '../../session';
import { readView } from '../../view';
import { punctualityCsv } from './csv';
import { punctualityApi } from './punctuality-api';
import { usePunctualityStrings, type PunctualityStrings } from './strings';
import './punctuality.css';

/** The day-by-day list shows this many rows; a province's month can hold thousands, all of them in the CSV. */
const SHOWN_EVENTS = 500;

const clockOf = (ms: number) => new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });

function pauseText(minutes: Record<string, number>, order: readonly string[], p: PunctualityStrings): string {
  const parts = order.filter((r) => (minutes[r] ?? 0) > 0).map((r) => p.pauseOf(r === '' ? p.unnamedReason : r, minutes[r]!));
  return parts.length === 0 ? p.noPause : parts.join(p.separator);
}

function download(report: PunctualityReport, p: PunctualityStrings): void {
  const blob = new Blob([punctualityCsv(report, p, clockOf)], { type: 'text/csv;charset=utf-8' });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = p.csvName(report.query.from, report.query.to);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export function PunctualityPage() {
  const { p } = usePunctualityStrings();
  const { session } = useSession();
  const place = usePlace();
  const view = readView(place.query);
  const department = pinnedDepartment(session) ?? view.department;
  const query = { from: view.from, to: view.to, ...(department === undefined ? {} : { department }) };
  const report = useLoad(`punctuality-${JSON.stringify(query)}`, () => punctualityApi.report(query));
  const r = report.data;
  return (
    <section className="page punctuality">
      <h1>{p.title}</h1>
      <p className="lead">{p.lead}</p>
      <details className="definitions" data-testid="definitions">
        <summary>{p.definitionsTitle}</summary>
        <ul>{p.definitions.map((d) => <li key={d}>{d}</li>)}</ul>
      </details>
      <PeriodPicker view={view} />
      {report.error ? <p className="error" role="alert">{report.error}</p> : null}
      {report.loading && !r ? <p className="note">{p.loading}</p> : null}
      {r ? (
        <>
          <div className="actions">
            <button type="button" data-testid="punctuality-csv" onClick={() => download(r, p)}>{p.csv}</button>
          </div>
          <h2>{p.byWindow}</h2>
          {r.windows.length === 0 ? <p className="empty">{p.emptyWindows}</p> : (
            <div className="scroll">
              <table data-testid="punctuality-windows">
                <thead>
                  <tr>
                    <th>{p.window}</th><th>{p.department}</th><th>{p.openDays}</th><th>{p.daysSignedIn}</th><th>{p.absentDays}</th>
                    <th>{p.late}</th><th>{p.early}</th><th>{p.pause}</th><th>{p.afterHours}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.windows.map((w) => (
                    <tr key={w.windowNo} data-window={w.windowNo}>
                      <td>{w.windowNo}</td>
                      <td>{w.departmentName ?? w.departmentCode ?? '—'}</td>
                      <td className="n">{w.openDays}</td>
                      <td className="n">{w.daysSignedIn}</td>
                      <td className={w.absentDays > 0 ? 'n flag' : 'n'}>{w.absentDays}</td>
                      <td className={w.lateDays > 0 ? 'flag' : undefined}>{p.times(w.lateDays, w.lateMinutes)}</td>
                      <td className={w.earlyDays > 0 ? 'flag' : undefined}>{p.times(w.earlyDays, w.earlyMinutes)}</td>
                      <td>{pauseText(w.pauseMinutes, r.pauseReasons, p)}</td>
                      <td className="n">{w.afterHoursCases}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>{p.byStaff}</h2>
          {r.staff.length === 0 ? <p className="empty">{p.emptyStaff}</p> : (
            <div className="scroll">
              <table data-testid="punctuality-staff">
                <thead>
                  <tr>
                    <th>{p.staffNo}</th><th>{p.staffName}</th><th>{p.daysSignedIn}</th>
                    <th>{p.late}</th><th>{p.early}</th><th>{p.pause}</th><th>{p.afterHours}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.staff.map((s) => (
                    <tr key={s.staffNo} data-staff={s.staffNo}>
                      <td>{s.staffNo}</td>
                      <td>{s.staffName}</td>
                      <td className="n">{s.daysSignedIn}</td>
                      <td className={s.lateDays > 0 ? 'flag' : undefined}>{p.times(s.lateDays, s.lateMinutes)}</td>
                      <td className={s.earlyDays > 0 ? 'flag' : undefined}>{p.times(s.earlyDays, s.earlyMinutes)}</td>
                      <td>{pauseText(s.pauseMinutes, r.pauseReasons, p)}</td>
                      <td className="n">{s.afterHoursCases}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>{p.events}</h2>
          {r.events.length === 0 ? <p className="empty">{p.emptyEvents}</p> : (
            <div className="scroll events">
              <table data-testid="punctuality-events">
                <thead>
                  <tr><th>{p.date}</th><th>{p.window}</th><th>{p.kind}</th><th>{p.person}</th><th>{p.scheduled}</th><th>{p.actual}</th><th>{p.minutes}</th></tr>
                </thead>
                <tbody>
                  {r.events.slice(0, SHOWN_EVENTS).map((e) => (
                    <tr key={`${e.kind}-${e.date}-${e.windowNo}`} data-kind={e.kind} data-date={e.date} data-window={e.windowNo}>
                      <td>{e.date}</td>
                      <td>{e.windowNo}</td>
                      <td>{p.kinds[e.kind]}</td>
                      <td>{e.staffNo === null ? <span className="note">{p.nobody}</span> : `${e.staffName ?? ''} (${e.staffNo})`}</td>
                      <td>{e.scheduled}</td>
                      <td>{e.at === null ? '—' : clockOf(e.at)}</td>
                      <td className="n">{e.kind === 'absent' ? '—' : e.minutes}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {r.events.length > SHOWN_EVENTS ? <p className="note" data-testid="events-cut">{p.eventsCut(SHOWN_EVENTS, r.events.length)}</p> : null}
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
