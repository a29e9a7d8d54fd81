/**
 * The 一次告知 notice slip as printed: the centre and window, who served, the item, each
 * missing material (original or copy, how many), where to ask, when, and the case number.
 * In Chinese, or in English when the staff panel is in English.
 */
import type { NoticeSlip, SlipLayout } from '../../../shared/slip';
import { fill, type Lang } from '../../common/lang';
import { SLIP_TEXT as T } from './slip-strings';

/** Local date and time to the minute: 2026-12-04 18:40. */
export function slipTime(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

export function NoticeSlipView({ slip, layout, lang }: { slip: NoticeSlip; layout: SlipLayout; lang: Lang }) {
  const windowLine = [fill(T.windowNo[lang], { n: slip.windowNo }), slip.departmentName].filter(Boolean).join(' · ');
  return (
    <article className={`notice-slip slip-${layout}`} lang={lang === 'zh' ? 'zh-CN' : 'en'} data-testid="notice-slip" data-layout={layout}>
      <header>
        {slip.centreName && <p className="slip-centre">{slip.centreName}</p>}
        <h1>{T.slipTitle[lang]}</h1>
      </header>
      <dl className="slip-facts">
        <div>
          <dt>{T.caseNumber[lang]}</dt>
          <dd data-testid="slip-case-number">{slip.caseNumber}</dd>
        </div>
        <div>
          <dt>{T.item[lang]}</dt>
          <dd>{slip.itemName}</dd>
        </div>
        <div>
          <dt>{T.window[lang]}</dt>
          <dd>{windowLine}</dd>
        </div>
        {slip.staffName && (
          <div>
            <dt>{T.staff[lang]}</dt>
            <dd>
              {slip.staffName}
              {slip.staffNo && (lang === 'zh' ? `（${T.staffNo[lang]} ${slip.staffNo}）` : ` (${T.staffNo[lang]} ${slip.staffNo})`)}
            </dd>
          </div>
        )}
      </dl>
      <p className="slip-intro">{T.intro[lang]}</p>
      <ol className="slip-materials" data-testid="slip-materials">
        {slip.materials.map((m, i) => (
          <li key={i}>
            <span className="slip-material-name">{m.name}</span>
            {m.form && (
              <span className="slip-material-form">
                {' '}
                {T[m.form][lang]} {m.count !== null && fill(T.count[lang], { n: m.count })}
              </span>
            )}
            {!m.form && <span className="slip-material-form"> {T.typed[lang]}</span>}
            {m.notes && <span className="slip-material-notes">{lang === 'zh' ? `（${m.notes}）` : ` (${m.notes})`}</span>}
          </li>
        ))}
      </ol>
      {slip.whereToAsk && (
        <p className="slip-ask">
          <strong>{T.whereToAsk[lang]}</strong> {slip.whereToAsk}
        </p>
      )}
      <p className="slip-time">
        <strong>{T.issuedAt[lang]}</strong> {slipTime(slip.at)}
      </p>
      <p className="slip-closing">{T.closing[lang]}</p>
    </article>
  );
}
