/** Rating window length, closing time, time zone, citizen screen language, centre address. */
import { useState, type FormEvent } from 'react';
import type { AdminSettings } from '../../../shared/config';
import type { Lang } from '../../common/lang';
import { orNull, toNumber } from './checkSettings';
import { SaveBar } from './SaveBar';
import { ADMIN_TEXT as T } from './strings';
import { useSave, type SaveSettings } from './useSave';

export function GeneralForm({ settings, save, lang }: { settings: AdminSettings; save: SaveSettings; lang: Lang }) {
  const { outcome, busy, submit } = useSave(save);
  const [windowSeconds, setWindowSeconds] = useState(String(settings.rating.windowSeconds));
  const [detailsSeconds, setDetailsSeconds] = useState(String(settings.rating.detailsSeconds));
  const [thanksSeconds, setThanksSeconds] = useState(String(settings.rating.thanksSeconds));
  const [closing, setClosing] = useState(settings.closingTime ?? '');
  const [noClosing, setNoClosing] = useState(settings.closingTime === null);
  const [utcOffset, setUtcOffset] = useState(settings.utcOffset);
  const [language, setLanguage] = useState(settings.language);
  const [centreUrl, setCentreUrl] = useState(settings.centre.url ?? '');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit({
      ...settings,
      rating: { windowSeconds: toNumber(windowSeconds), detailsSeconds: toNumber(detailsSeconds), thanksSeconds: toNumber(thanksSeconds) },
      closingTime: noClosing ? null : closing.trim(),
      utcOffset: utcOffset.trim(),
      language,
      centre: { ...settings.centre, url: orNull(centreUrl) },
    });
  };

  return (
    <form className="admin-form" onSubmit={onSubmit}>
      <label>
        {T.ratingWindow[lang]}
        <input data-testid="rating-window" inputMode="numeric" value={windowSeconds} onChange={(e) => setWindowSeconds(e.target.value)} />
      </label>
      <label>
        {T.detailsWindow[lang]}
        <input inputMode="numeric" value={detailsSeconds} onChange={(e) => setDetailsSeconds(e.target.value)} />
      </label>
      <label>
        {T.thanksWindow[lang]}
        <input inputMode="numeric" value={thanksSeconds} onChange={(e) => setThanksSeconds(e.target.value)} />
      </label>
      <div className="field">
        <label htmlFor="closing-time">{T.closingTime[lang]}</label>
        <div className="row">
          <input id="closing-time" data-testid="closing-time" placeholder="17:30" disabled={noClosing} value={closing} onChange={(e) => setClosing(e.target.value)} />
          <label className="inline">
            <input type="checkbox" checked={noClosing} onChange={(e) => setNoClosing(e.target.checked)} />
            {T.noClosing[lang]}
          </label>
        </div>
      </div>
      <label>
        {T.utcOffset[lang]}
        <input value={utcOffset} onChange={(e) => setUtcOffset(e.target.value)} />
      </label>
      <label>
        {T.language[lang]}
        <select data-testid="language" value={language} onChange={(e) => setLanguage(e.target.value === 'en' ? 'en' : 'zh')}>
          <option value="zh">中文</option>
          <option value="en">English</option>
        </select>
      </label>
      <label>
        {T.centreUrl[lang]}
        <input data-testid="centre-url" type="text" inputMode="url" autoComplete="off" value={centreUrl} onChange={(e) => setCentreUrl(e.target.value)} />
        <span className="hint">{T.centreHint[lang]}</span>
      </label>
      <SaveBar outcome={outcome} busy={busy} lang={lang} testId="general" />
    </form>
  );
}
