/** 总览: the period's figures, their trend, the level distribution and the channels, all under one picker. */
import { useMemo } from 'react';
import type { Overview } from '../../../../src/shared/console/contract';
import { RATING_LEVELS } from '../../../../src/shared/levels';
import { api } from '../api';
import { formatters, levelLabel, useStrings, type Language, type Strings } from '../i18n';
import { Chart, type ChartOption } from '../parts/Chart';
import { PeriodPicker } from '../parts/PeriodPicker';
import { usePlace } from '../router';
import { pinnedDepartment, useLoad, useSession } from '../session';
import { readView } from '../view';

const LEVEL_COLOURS = ['#1a7f37', '#4cae4f', '#a3c644', '#e8912d', '#cf222e'];

export function OverviewPage() {
  const { t, language } = useStrings();
  const { session } = useSession();
  const place = usePlace();
  const view = readView(place.query);
  const department = pinnedDepartment(session) ?? view.department;
  const query = { period: view.period, from: view.from, to: view.to, department };
  const overview = useLoad(JSON.stringify(query), () => api.overview(query));
  return (
    <section className="page">
      <h1>{t.overview.title}</h1>
      <PeriodPicker view={view} />
      {overview.error ? <p className="error" role="alert">{overview.error}</p> : null}
      {overview.loading && !overview.data ? <p className="loading">{t.loading}</p> : null}
      {overview.data ? <Figures data={overview.data} t={t} language={language} stale={overview.loading} /> : null}
    </section>
  );
}

function Figures({ data, t, language, stale }: { data: Overview; t: Strings; language: Language; stale: boolean }) {
  const f = formatters(language);
  const totals = data.totals;
  const policy = data.unratedPolicy
    ? t.overview.policy(levelLabel(language, data.unratedPolicy.level), data.unratedPolicy.afterDays, totals.defaulted)
    : t.overview.noPolicy;
  const charts = useMemo(() => chartOptions(data, t, language), [data, t, language]);
  const card = (id: string, label: string, value: string, note?: string) => (
    <div className="figure" data-testid={`figure-${id}`}>
      <span className="label">{label}</span>
      <span className="value">{value}</span>
      {note ? <span className="note">{note}</span> : null}
    </div>
  );
  return (
    <div className={stale ? 'figures stale' : 'figures'} aria-busy={stale}>
      <div className="cards">
        {card('satisfaction', t.overview.satisfaction, f.percent(totals.satisfaction))}
        {card('cases', t.overview.cases, f.count(totals.cases))}
        {card('rated', t.overview.rated, f.count(totals.rated))}
        {card('unrated', t.overview.unrated, f.count(totals.unrated), `${t.overview.unratedRate} ${f.percent(totals.cases ? totals.unrated / totals.cases : null)}`)}
        {card('poor', t.overview.poor, f.count(totals.poor))}
        {card('misuse', t.overview.misuse, f.count(totals.misuse))}
      </div>
      <p className="policy" data-testid="unrated-policy">{policy}</p>
      <p className="note">{t.overview.fresh} {f.time(data.freshAt)}</p>
      {totals.cases === 0 ? (
        <p className="empty" data-testid="empty">{t.overview.empty}</p>
      ) : (
        <div className="panels">
          <div className="panel wide">
            <h2>{t.overview.trend}</h2>
            <Chart option={charts.trend} label={t.overview.trend} />
          </div>
          <div className="panel">
            <h2>{t.overview.levels}</h2>
            <table className="levels">
              <tbody>
                {RATING_LEVELS.map((level) => (
                  <tr key={level} data-testid={`level-${level}`}>
                    <th>{levelLabel(language, level)}</th>
                    <td>{f.count(totals.levels[level])}</td>
                    <td>{f.percent(totals.rated ? totals.levels[level] / totals.rated : null)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="panel">
            <h2>{t.overview.distribution}</h2>
            <Chart option={charts.distribution} label={t.overview.distribution} height={220} />
          </div>
          <div className="panel">
            <h2>{t.overview.channels}</h2>
            <table className="channels">
              <thead>
                <tr><th>{t.overview.channel}</th><th>{t.overview.count}</th></tr>
              </thead>
              <tbody>
                {data.channels.map((c) => (
                  <tr key={c.channel} data-testid={`channel-${c.channel}`}>
                    <th>{t.channelNames[c.channel] ?? c.channel}</th>
                    <td>{f.count(c.rated)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

function chartOptions(data: Overview, t: Strings, language: Language): { trend: ChartOption; distribution: ChartOption } {
  // No animation: a figure on a dashboard is read at once, and a screenshot shows it drawn.
  const trend: ChartOption = {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t.overview.rated, t.overview.poor, t.overview.satisfaction] },
    grid: { left: 48, right: 56, top: 40, bottom: 28 },
    xAxis: { type: 'category', data: data.trend.map((p) => p.bucket) },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      { name: t.overview.rated, type: 'bar', data: data.trend.map((p) => p.rated), itemStyle: { color: '#8fb8de' } },
      { name: t.overview.poor, type: 'bar', data: data.trend.map((p) => p.poor), itemStyle: { color: '#cf222e' } },
      {
        name: t.overview.satisfaction,
        type: 'line',
        yAxisIndex: 1,
        connectNulls: false,
        data: data.trend.map((p) => (p.satisfaction === null ? null : Math.round(p.satisfaction * 1000) / 10)),
        itemStyle: { color: '#1a7f37' },
      },
    ],
  };
  const distribution: ChartOption = {
    animation: false,
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'pie',
        radius: ['40%', '70%'],
        data: RATING_LEVELS.map((level, i) => ({ name: levelLabel(language, level), value: data.totals.levels[level], itemStyle: { color: LEVEL_COLOURS[i] } })),
      },
    ],
  };
  return { trend, distribution };
}
