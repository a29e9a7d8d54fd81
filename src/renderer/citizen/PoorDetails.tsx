/**
 * After a poor rating: reason chips, an optional callback number with the citizen's
 * consent, sent with addRatingDetails while the core still accepts details.
 */
import { useState } from 'react';
import type { ReasonCode } from '../../shared/api';
import { isPlausiblePhone } from '../../shared/privacy';
import { secondsLeft, useNow } from '../common/useNow';
import { PhoneEntry } from './PhoneEntry';
import { fill, type Lang } from '../common/lang';
import { CITIZEN_TEXT as T } from './strings';

export interface RatingDetails {
  reasonCodes: string[];
  callbackPhone?: string;
  callbackConsent: boolean;
}

interface Props {
  reasons: ReasonCode[];
  detailsUntil: number;
  skewMs: number;
  lang: Lang;
  onSubmit(details: RatingDetails): Promise<string | null>;
  onSkip(): void;
}

export function PoorDetails({ reasons, detailsUntil, skewMs, lang, onSubmit, onSkip }: Props) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [phone, setPhone] = useState('');
  const [consent, setConsent] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const left = secondsLeft(detailsUntil, useNow(true, 500), skewMs);

  const toggle = (code: string) => setChosen((c) => (c.includes(code) ? c.filter((x) => x !== code) : [...c, code]));

  const submit = () => {
    if (phone && !isPlausiblePhone(phone)) return setProblem(T.phoneInvalid[lang]);
    if (phone && !consent) return setProblem(T.consentNeeded[lang]);
    setBusy(true);
    setProblem(null);
    void onSubmit({ reasonCodes: chosen, callbackPhone: phone || undefined, callbackConsent: phone ? consent : false }).then((error) => {
      setBusy(false);
      if (error) setProblem(error);
    });
  };

  return (
    <section className="details" aria-labelledby="details-title" data-testid="poor-details">
      <div className="rating-head">
        <h2 id="details-title" className="details-title">
          {T.reasonsTitle[lang]}
        </h2>
        <p className="details-left">{fill(T.secondsLeft[lang], { n: left })}</p>
      </div>
      <div className="chips" role="group" aria-labelledby="details-title">
        {reasons.map((r) => (
          <button
            key={r.code}
            type="button"
            className="chip reason"
            data-testid={`reason-${r.code}`}
            aria-pressed={chosen.includes(r.code)}
            onClick={() => toggle(r.code)}
          >
            {lang === 'zh' ? r.labelZh : r.labelEn}
          </button>
        ))}
      </div>
      <PhoneEntry phone={phone} onChange={setPhone} lang={lang} />
      {phone !== '' && (
        <label className="consent">
          <input type="checkbox" data-testid="consent" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
          {T.consent[lang]}
        </label>
      )}
      {problem && (
        <p className="citizen-error" role="alert" data-testid="details-error">
          {problem}
        </p>
      )}
      <div className="details-actions">
        <button type="button" className="primary" data-testid="details-submit" disabled={busy} onClick={submit}>
          {T.submit[lang]}
        </button>
        <button type="button" className="secondary" data-testid="details-skip" onClick={onSkip}>
          {T.skip[lang]}
        </button>
      </div>
    </section>
  );
}
