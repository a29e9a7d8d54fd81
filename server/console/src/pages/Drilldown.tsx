/** The individual ratings behind one ranking row, with reasons and masked phones, a page at a time. */
import { useEffect, useState } from 'react';
import { RANKING_DIMENSIONS, type RatingLine } from '../../../../src/shared/console/contract';
import { RATING_LEVELS, isPoor, type RatingLevel } from '../../../../src/shared/levels';
import { api } from '../api';
import { formatters, levelLabel, useStrings } from '../i18n';
import { PeriodPicker } from '../parts/PeriodPicker';
import { hrefOf, Link, navigate, usePlace } from '../router';
import { pinnedDepartment, sentence, useLoad, useSession } from '../session';
import { readView, viewQuery } from '../view';
import { OpenByHand, OPENS_BY_HAND } from './follow-up/OpenByHand';

export function DrilldownPage() {
  const { t, language } = useStrings();
  const { session } = useSession();
  const place = usePlace();
  const view = readView(place.query);
  const dimensionText = place.query.get('dimension') ?? '';
  const dimension = (RANKING_DIMENSIONS as readonly string[]).includes(dimensionText) ? (dimensionText as (typeof RANKING_DIMENSIONS)[number]) : 'staff';
  const key = place.query.get('key') ?? '';
  const name = place.query.get('name') ?? key;
  const levelText = place.query.get('level') ?? '';
  const level = (RATING_LEVELS as readonly string[]).includes(levelText) ? (levelText as RatingLevel) : undefined;
  const department = pinnedDepartment(session) ?? view.department;
  const query = { period: view.period, from: view.from, to: view.to, department, dimension, key, level };
  const first = useLoad(JSON.stringify(query), () => api.drilldown(query));
  const [more, setMore] = useState<{ rows: RatingLine[]; next: string | null } | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  useEffect(() => setMore(null), [first.data]);
  const f = formatters(language);
  const rows = [...(first.data?.rows ?? []), ...(more?.rows ?? [])];
  const next = more ? more.next : (first.data?.next ?? null);
  const loadMore = () => {
    if (!next) return;
    api.drilldown({ ...query, after: next }).then(
      (page) => setMore({ rows: [...(more?.rows ?? []), ...page.rows], next: page.next }),
      (err: unknown) => setMoreError(sentence(t, err)),
    );
  };
  const mayOpen = session !== null && OPENS_BY_HAND.includes(session.user.role);
  const here = hrefOf('/rankings/ratings', { ...viewQuery(view), dimension, key, name });
  return (
    <section className="page">
      <p><Link href={hrefOf('/rankings', { ...viewQuery(view), dimension })}>‹ {t.drilldown.back}</Link></p>
      <h1>{t.drilldown.title}: {t.rankings.dimensions[dimension]} {name}</h1>
      <PeriodPicker view={view} />
      <label className="level-filter">
        {t.drilldown.level}
        <select name="level" value={level ?? ''} onChange={(e) => navigate(hrefOf('/rankings/ratings', { ...viewQuery(view), dimension, key, name, level: e.target.value || undefined }))}>
          <option value="">{t.drilldown.allLevels}</option>
          {RATING_LEVELS.map((l) => <option key={l} value={l}>{levelLabel(language, l)}</option>)}
        </select>
      </label>
      {first.error ? <p className="error" role="alert">{first.error}</p> : null}
      {first.loading && !first.data ? <p className="loading">{t.loading}</p> : null}
      {first.data && rows.length === 0 ? <p className="empty">{t.drilldown.empty}</p> : null}
      {rows.length > 0 ? (
        <table className="ratings" data-testid="ratings" data-href={here}>
          <thead>
            <tr>
              <th>{t.drilldown.at}</th><th>{t.drilldown.level}</th><th>{t.drilldown.staff}</th><th>{t.drilldown.window}</th>
              <th>{t.drilldown.item}</th><th>{t.drilldown.caseNo}</th><th>{t.drilldown.reasons}</th><th>{t.drilldown.phone}</th>{mayOpen ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.terminalId}/${r.caseId}`} className={isPoor(r.level) ? 'poor' : undefined} data-level={r.level}>
                <td>{f.time(r.ratedAt)}</td>
                <td>{levelLabel(language, r.level)}</td>
                <td>{r.staffName ?? '—'}{r.staffNo ? ` (${r.staffNo})` : ''}</td>
                <td>{r.windowNo ?? '—'}</td>
                <td>{r.itemName ?? '—'}</td>
                <td>{r.caseNo ?? '—'}</td>
                <td>{r.reasonCodes.join(', ') || '—'}</td>
                <td data-testid="phone">{r.callbackPhone ?? '—'}</td>
                {/* Poor ratings open their record at the centre by themselves; the others may be opened by hand. */}
                {mayOpen ? <td>{isPoor(r.level) ? null : <OpenByHand terminalId={r.terminalId} caseId={r.caseId} />}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {moreError ? <p className="error" role="alert">{moreError}</p> : null}
      {next ? <button type="button" onClick={loadMore}>{t.drilldown.more}</button> : null}
    </section>
  );
}
