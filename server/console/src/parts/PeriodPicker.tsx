/**
 * The one period picker that governs a whole page (and its department filter). It only
 * writes the URL; the page reads its view back from there, so every view is bookmarkable.
 */
import { useState } from 'react';
import { PERIOD_KINDS, isCalendarDate } from '../../../../src/shared/console/periods';
import { api } from '../api';
import { useStrings } from '../i18n';
import { hrefOf, navigate, usePlace } from '../router';
import { pinnedDepartment, useLoad, useSession } from '../session';
import { stepView, viewQuery, withKind, type FigureView } from '../view';

export function PeriodPicker({ view }: { view: FigureView }) {
  const { t } = useStrings();
  const { session } = useSession();
  const place = usePlace();
  const pinned = pinnedDepartment(session);
  const departments = useLoad('departments', () => api.departments());
  const [custom, setCustom] = useState({ from: view.from, to: view.to });

  const go = (next: FigureView) => {
    const query: Record<string, string | undefined> = Object.fromEntries(place.query.entries());
    // A new period starts the drill-down's paging over.
    delete query.after;
    navigate(hrefOf(place.path, { ...query, ...viewQuery(next) }));
  };

  return (
    <div className="picker" role="group" aria-label="period">
      <div className="kinds">
        {PERIOD_KINDS.map((kind) => (
          <button key={kind} type="button" aria-pressed={view.period === kind} onClick={() => go(withKind(view, kind))}>
            {t.periods[kind]}
          </button>
        ))}
      </div>
      <button type="button" onClick={() => go(stepView(view, -1))} aria-label={t.picker.previous}>‹ {t.picker.previous}</button>
      {view.period === 'custom' ? (
        <form
          className="custom"
          onSubmit={(e) => {
            e.preventDefault();
            if (isCalendarDate(custom.from) && isCalendarDate(custom.to) && custom.from <= custom.to) go({ ...view, ...custom });
          }}
        >
          <label>{t.picker.from} <input type="date" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} /></label>
          <label>{t.picker.to} <input type="date" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} /></label>
          <button type="submit">{t.picker.apply}</button>
        </form>
      ) : (
        <strong className="range" data-testid="period-range">{view.from === view.to ? view.from : `${view.from} — ${view.to}`}</strong>
      )}
      <button type="button" onClick={() => go(stepView(view, 1))} aria-label={t.picker.next}>{t.picker.next} ›</button>
      <label className="department">
        {t.picker.department}
        <select
          name="department"
          value={pinned ?? view.department ?? ''}
          disabled={pinned !== undefined}
          onChange={(e) => go({ ...view, department: e.target.value || undefined })}
        >
          {pinned === undefined ? <option value="">{t.picker.allDepartments}</option> : null}
          {(departments.data ?? []).map((d) => (
            <option key={d.code} value={d.code}>{d.name}</option>
          ))}
          {pinned !== undefined && !(departments.data ?? []).some((d) => d.code === pinned) ? <option value={pinned}>{pinned}</option> : null}
        </select>
      </label>
    </div>
  );
}
