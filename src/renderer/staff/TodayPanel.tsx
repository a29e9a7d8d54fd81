/** Today's figures at this window, fetched again whenever a case or a rating changes. */
import { useEffect, useState } from 'react';
import type { CordialApi } from '../../shared/api';
import type { KioskError, TodayFigures } from '../../shared/contract';
import { percent } from '../common/format';
import type { Lang } from '../common/lang';
import { refusalText } from '../common/refusal-words';
import { ErrorLine } from './ErrorLine';
import { STAFF_TEXT as T } from './strings';

export function TodayPanel({ api, version, lang }: { api: CordialApi; version: string; lang: Lang }) {
  const [figures, setFigures] = useState<TodayFigures | null>(null);
  const [error, setError] = useState<KioskError | null>(null);

  useEffect(() => {
    let live = true;
    void api.today().then((r) => {
      if (!live) return;
      if (r.ok) {
        setFigures(r.result);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, version]);

  const rows: [string, keyof typeof T, string][] = figures
    ? [
        ['cases', 'cases', String(figures.cases)],
        ['rated', 'ratedCount', String(figures.rated)],
        ['unrated', 'unrated', String(figures.unrated)],
        ['satisfaction', 'satisfaction', percent(figures.satisfaction)],
        ['poor', 'poor', String(figures.poor)],
      ]
    : [];
  return (
    <section className="card" aria-labelledby="today-title">
      <h2 id="today-title">{T.todayTitle[lang]}</h2>
      <dl className="figures" data-testid="today">
        {rows.map(([id, label, value]) => (
          <div key={id}>
            <dt>{T[label][lang]}</dt>
            <dd data-testid={`today-${id}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <ErrorLine message={error && refusalText(error, lang)} />
    </section>
  );
}
