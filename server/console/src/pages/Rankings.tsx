/**
 * 排名: staff, windows, departments or items, sorted by satisfaction, volume or poor
 * ratings. Rows under the minimum volume are listed apart, unranked. Every name is a
 * drill-down link that carries the period and the filter along.
 */
import { useState } from 'react';
import { RANKING_DIMENSIONS, RANKING_SORTS, type RankingDimension, type RankingRow } from '../../../../src/shared/console/contract';
import { api } from '../api';
import { formatters, useStrings } from '../i18n';
import { PeriodPicker } from '../parts/PeriodPicker';
import { hrefOf, Link, navigate, usePlace } from '../router';
import { pinnedDepartment, useLoad, useSession } from '../session';
import { readView, viewQuery, type FigureView } from '../view';

const DEFAULT_MIN_RATED = 30;

function pick<T extends string>(options: readonly T[], value: string | null, fallback: T): T {
  return (options as readonly string[]).includes(value ?? '') ? (value as T) : fallback;
}

export function RankingsPage() {
  const { t, language } = useStrings();
  const { session } = useSession();
  const place = usePlace();
  const view = readView(place.query);
  const dimension = pick(RANKING_DIMENSIONS, place.query.get('dimension'), 'staff');
  const sort = pick(RANKING_SORTS, place.query.get('sort'), 'satisfaction');
  const minText = place.query.get('minRated');
  const minRated = minText !== null && /^\d{1,6}$/.test(minText) ? Number(minText) : DEFAULT_MIN_RATED;
  const department = pinnedDepartment(session) ?? view.department;
  const query = { period: view.period, from: view.from, to: view.to, department, dimension, sort, minRated };
  const ranking = useLoad(JSON.stringify(query), () => api.ranking(query));
  const [threshold, setThreshold] = useState(String(minRated));
  const f = formatters(language);

  const here = (change: Record<string, string | number | undefined>) => hrefOf('/rankings', { ...viewQuery(view), dimension, sort, minRated, ...change });

  const table = (rows: RankingRow[], ranked: boolean) => (
    <table className="ranking" data-testid={ranked ? 'ranked' : 'below-threshold'}>
      <thead>
        <tr>
          {ranked ? <th>{t.rankings.rank}</th> : null}
          <th>{t.rankings.name}</th>
          {dimension !== 'department' ? <th>{t.picker.department}</th> : null}
          <th>{t.overview.cases}</th>
          <th>{t.overview.rated}</th>
          <th>{t.overview.poor}</th>
          <th>{t.overview.satisfaction}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-key={row.key}>
            {ranked ? <td>{row.rank ?? '—'}</td> : null}
            <td className="name">
              {row.key === '' ? <span className="note">{t.rankings.unassigned}</span> : <Link href={drilldownHref(view, dimension, row)}>{row.name}</Link>}
              {dimension === 'department' && row.key !== '' ? (
                <span className="drill">
                  {' · '}<Link href={here({ department: row.key, dimension: 'window' })}>{t.rankings.itsWindows}</Link>
                  {' · '}<Link href={here({ department: row.key, dimension: 'staff' })}>{t.rankings.itsStaff}</Link>
                </span>
              ) : null}
            </td>
            {dimension !== 'department' ? <td className="name">{row.departmentName ?? '—'}</td> : null}
            <td>{f.count(row.cases)}</td>
            <td>{f.count(row.rated)}</td>
            <td>{f.count(row.poor)}</td>
            <td>{f.percent(row.satisfaction)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <section className="page">
      <h1>{t.rankings.title}</h1>
      <PeriodPicker view={view} />
      <div className="options">
        <span role="group" aria-label={t.rankings.dimension}>
          {t.rankings.dimension}:
          {RANKING_DIMENSIONS.map((d) => (
            <Link key={d} href={here({ dimension: d })} aria-current={d === dimension ? 'page' : undefined} className="chip">{t.rankings.dimensions[d]}</Link>
          ))}
        </span>
        <span role="group" aria-label={t.rankings.sort}>
          {t.rankings.sort}:
          {RANKING_SORTS.map((s) => (
            <Link key={s} href={here({ sort: s })} aria-current={s === sort ? 'page' : undefined} className="chip">{t.rankings.sorts[s]}</Link>
          ))}
        </span>
        <form
          className="threshold"
          onSubmit={(e) => {
            e.preventDefault();
            if (/^\d{1,6}$/.test(threshold)) navigate(here({ minRated: Number(threshold) }));
          }}
        >
          <label>
            {t.rankings.minRated}
            <input name="minRated" type="number" min={0} max={100000} value={threshold} onChange={(e) => setThreshold(e.target.value)} />
          </label>
          <button type="submit">{t.picker.apply}</button>
        </form>
      </div>
      <p className="note" data-testid="threshold-note">{t.rankings.minRatedHint(minRated)}</p>
      {ranking.error ? <p className="error" role="alert">{ranking.error}</p> : null}
      {ranking.loading && !ranking.data ? <p className="loading">{t.loading}</p> : null}
      {ranking.data ? (
        <div className={ranking.loading ? 'stale' : undefined} aria-busy={ranking.loading}>
          {ranking.data.ranked.length === 0 && ranking.data.belowThreshold.length === 0 ? <p className="empty">{t.rankings.empty}</p> : null}
          {ranking.data.ranked.length > 0 ? table(ranking.data.ranked, true) : null}
          {ranking.data.belowThreshold.length > 0 ? (
            <>
              <h2>{t.rankings.below}</h2>
              {table(ranking.data.belowThreshold, false)}
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

export function drilldownHref(view: FigureView, dimension: RankingDimension, row: Pick<RankingRow, 'key' | 'name'>): string {
  return hrefOf('/rankings/ratings', { ...viewQuery(view), dimension, key: row.key, name: row.name });
}
