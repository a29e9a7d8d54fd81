/** The printable evaluation bulletin (standard 11.4): one department, one or two months, laid out for A4. */
import { levelLabel, formatters, type Language } from '../../i18n';
import { hrefOf, Link, usePlace } from '../../router';
import { useLoad } from '../../session';
import type { BulletinFigures } from '../../../../../src/shared/console/contract';
import { itApi } from './it-api';
import { useItStrings } from './strings';
import './it.css';

/** The follow-up figures' words: the poor ratings of the period and what became of them. */
const FOLLOW_UP_WORDS: Record<Language, { title: string; poorRatings: string; calledBack: string; valid: string; putRight: string; answeredOnTime: string; overdue: string }> = {
  zh: { title: '差评整改', poorRatings: '差评', calledBack: '已回访', valid: '属实', putRight: '已整改', answeredOnTime: '按期反馈', overdue: '超期' },
  en: { title: 'Follow-up of poor ratings', poorRatings: 'Poor ratings', calledBack: 'Called back', valid: 'Valid', putRight: 'Put right', answeredOnTime: 'Answered on time', overdue: 'Overdue' },
};
const FOLLOW_UP_FIGURES = ['poorRatings', 'calledBack', 'valid', 'putRight', 'answeredOnTime', 'overdue'] as const;

export function BulletinPage() {
  const { it, t, language } = useItStrings();
  const f = formatters(language);
  const place = usePlace();
  const query = { department: place.query.get('department') ?? '', period: (place.query.get('period') === 'bimonth' ? 'bimonth' : 'month') as 'month' | 'bimonth', month: place.query.get('month') ?? '' };
  const bulletin = useLoad(JSON.stringify(query), () => itApi.bulletin(query));
  const b = bulletin.data;
  const cells = (x: BulletinFigures) => (
    <>
      <td>{f.count(x.cases)}</td><td>{f.count(x.rated)}</td><td>{f.count(x.unrated)}</td><td>{f.percent(x.satisfaction)}</td><td>{f.count(x.poor)}</td>
    </>
  );
  const head = (first: string) => (
    <tr><th>{first}</th><th>{it.bulletin.cases}</th><th>{it.bulletin.rated}</th><th>{it.bulletin.unrated}</th><th>{it.bulletin.satisfaction}</th><th>{it.bulletin.poor}</th></tr>
  );
  return (
    <section className="page it bulletin">
      <div className="screen-only actions">
        <Link href={hrefOf('/exports', {})}>{it.bulletin.back}</Link>
        <button type="button" className="primary" onClick={() => window.print()}>{it.bulletin.print}</button>
      </div>
      {bulletin.error ? <p className="error" role="alert">{bulletin.error}</p> : null}
      {bulletin.loading && !b ? <p className="loading">{t.loading}</p> : null}
      {b ? (
        <article className="sheet" data-testid="bulletin">
          <h1>{it.bulletin.title(b.department.name ?? b.department.code)}</h1>
          <p className="period">{it.bulletin.period(b.period.from, b.period.to)}</p>
          <p className="note">{b.unratedPolicy ? it.bulletin.policy(levelLabel(language, b.unratedPolicy.level), b.unratedPolicy.afterDays) : it.bulletin.noPolicy}</p>
          <h2>{it.bulletin.totals}</h2>
          <table data-testid="bulletin-totals"><thead>{head(it.bulletin.totals)}</thead><tbody><tr><td>{b.department.code}</td>{cells(b.totals)}</tr></tbody></table>
          {b.totals.cases === 0 ? <p className="empty">{it.bulletin.empty}</p> : null}
          <h2>{FOLLOW_UP_WORDS[language].title}</h2>
          <table data-testid="bulletin-follow-up">
            <thead><tr>{FOLLOW_UP_FIGURES.map((k) => <th key={k}>{FOLLOW_UP_WORDS[language][k]}</th>)}</tr></thead>
            <tbody><tr>{FOLLOW_UP_FIGURES.map((k) => <td key={k} data-figure={k}>{f.count(b.followUp[k])}</td>)}</tr></tbody>
          </table>
          <h2>{it.bulletin.byWindow}</h2>
          <table data-testid="bulletin-windows"><thead>{head(it.bulletin.window)}</thead><tbody>{b.windows.map((w) => <tr key={w.windowNo} data-window={w.windowNo}><td>{w.windowNo}</td>{cells(w)}</tr>)}</tbody></table>
          <h2>{it.bulletin.byStaff}</h2>
          <table data-testid="bulletin-staff"><thead>{head(it.bulletin.staff)}</thead><tbody>{b.staff.map((s) => <tr key={s.staffNo} data-staff={s.staffNo}><td>{s.staffName ?? ''} ({s.staffNo})</td>{cells(s)}</tr>)}</tbody></table>
          <p className="note">{it.bulletin.generated} {f.time(b.generatedAt)}</p>
        </article>
      ) : null}
    </section>
  );
}
