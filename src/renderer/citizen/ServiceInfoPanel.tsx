/**
 * The open case's item as the citizen should know it (办事公开, standard 10.7): the materials
 * to bring, original or copy and how many, and the promised time, in large type beside the
 * item name; the fees and where to ask below when the centre gave them.
 */
import type { PromisedTime, ServiceInfo } from '../../shared/service-info';
import { fill, type Lang } from '../common/lang';
import { SERVICE_INFO_TEXT as T } from './service-info-strings';
import './service-info.css';

export function promisedTimeText(time: PromisedTime, lang: Lang): string {
  if (time.kind === 'on_the_spot') return T.onTheSpot[lang];
  return time.days === 1 ? T.oneWorkingDay[lang] : fill(T.workingDays[lang], { n: time.days });
}

export function ServiceInfoPanel({ info, lang }: { info: ServiceInfo; lang: Lang }) {
  const many = info.materials.length > 6;
  return (
    <section className="service-info" data-testid="service-info" aria-label={T.region[lang]}>
      {info.promisedTime && (
        <p className="service-time" data-testid="service-time">
          <span className="service-label">{T.promisedTime[lang]}</span>
          <strong>{promisedTimeText(info.promisedTime, lang)}</strong>
        </p>
      )}
      {info.materials.length > 0 && (
        <div className="service-materials">
          <h3 className="service-label">{T.materials[lang]}</h3>
          <ol className={many ? 'service-material-list two-columns' : 'service-material-list'} data-testid="service-materials">
            {info.materials.map((m, i) => (
              <li key={i} className="service-material">
                <span className="service-material-name">{m.name}</span>
                <span className={`service-material-form form-${m.form}`}>{m.form === 'original' ? T.original[lang] : T.copy[lang]}</span>
                <span className="service-material-count">{fill(T.count[lang], { n: m.count })}</span>
                {m.notes && <span className="service-material-notes">{m.notes}</span>}
              </li>
            ))}
          </ol>
        </div>
      )}
      {(info.fees || info.whereToAsk) && (
        <dl className="service-extra">
          {info.fees && (
            <div>
              <dt>{T.fees[lang]}</dt>
              <dd>{info.fees}</dd>
            </div>
          )}
          {info.whereToAsk && (
            <div>
              <dt>{T.whereToAsk[lang]}</dt>
              <dd>{info.whereToAsk}</dd>
            </div>
          )}
        </dl>
      )}
    </section>
  );
}
