/**
 * After a poor rating: reason chips, a short written comment, an optional callback number
 * with the citizen's consent, sent with addRatingDetails while the core still accepts details.
 * The core closes the details at a set time, which each change the citizen makes pushes back
 * (within the core's limit); so that nothing typed is lost, whatever the citizen has entered
 * is sent by itself just before the close.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReasonCode } from '../../shared/api';
import { isPlausiblePhone, redact } from '../../shared/privacy';
import { secondsLeft, useNow } from '../common/useNow';
import { CommentEntry } from './CommentEntry';
import { PhoneEntry } from './PhoneEntry';
import { fill, type Lang } from '../common/lang';
import { CITIZEN_TEXT as T } from './strings';

export interface RatingDetails {
  reasonCodes: string[];
  comment?: string;
  callbackPhone?: string;
  callbackConsent: boolean;
}

interface Props {
  reasons: ReasonCode[];
  detailsUntil: number;
  skewMs: number;
  lang: Lang;
  onSubmit(details: RatingDetails): Promise<string | null>;
  /** Called on every change the citizen makes, so the core keeps the details open while they type. */
  onActivity?(): void;
  onSkip(): void;
}

/** Seconds before the close at which what was entered is sent without waiting for 提交. */
export const AUTO_SEND_SECONDS = 5;
/** Seconds before the close from which the screen says so. */
const NOTICE_SECONDS = 15;

export function PoorDetails({ reasons, detailsUntil, skewMs, lang, onSubmit, onActivity, onSkip }: Props) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [writing, setWriting] = useState(false);
  const [phone, setPhone] = useState('');
  const [consent, setConsent] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const left = secondsLeft(detailsUntil, useNow(true, 500), skewMs);

  // Any change after the first render is the citizen at work: tell the core (a new callback alone is not).
  const touched = useRef(false);
  useEffect(() => {
    if (!touched.current) {
      touched.current = true;
      return;
    }
    onActivity?.();
  }, [chosen, comment, phone, consent, writing]);

  const toggle = (code: string) => setChosen((c) => (c.includes(code) ? c.filter((x) => x !== code) : [...c, code]));

  // Set once the details went (or are going) to the core, or the citizen chose to skip them.
  const settled = useRef(false);
  const send = (details: RatingDetails) => {
    settled.current = true;
    setBusy(true);
    setProblem(null);
    void onSubmit(details).then((error) => {
      setBusy(false);
      if (error) {
        settled.current = false;
        setProblem(error);
      }
    });
  };
  const text = comment.trim();

  const submit = () => {
    if (phone && !isPlausiblePhone(phone)) return setProblem(T.phoneInvalid[lang]);
    if (phone && !consent) return setProblem(T.consentNeeded[lang]);
    send({ reasonCodes: chosen, comment: text || undefined, callbackPhone: phone || undefined, callbackConsent: phone ? consent : false });
  };

  // Near the close, send what there is; a number goes only when complete and agreed to.
  const entered = text !== '' || chosen.length > 0 || phone !== '';
  const withPhone = isPlausiblePhone(phone) && consent;
  const asEntered: RatingDetails = { reasonCodes: chosen, comment: text || undefined, callbackPhone: withPhone ? phone : undefined, callbackConsent: withPhone };
  const autoSent = useRef(false);
  useEffect(() => {
    if (autoSent.current || settled.current || busy || !entered || left > AUTO_SEND_SECONDS) return;
    autoSent.current = true;
    send(asEntered);
  });

  // The screen can also leave the details early (the next citizen's case opened): what was entered goes too.
  const draft = useRef({ entered, asEntered, onSubmit });
  draft.current = { entered, asEntered, onSubmit };
  useEffect(
    () => () => {
      const { entered: has, asEntered: details, onSubmit: submitNow } = draft.current;
      if (has && !settled.current) {
        settled.current = true;
        void submitNow(details);
      }
    },
    [],
  );
  const skip = () => {
    settled.current = true;
    onSkip();
  };

  const notice = entered && !busy && left <= NOTICE_SECONDS && (
    <p className="details-autosend" role="status" data-testid="details-autosend">
      {fill(T.autoSend[lang], { n: Math.max(0, left - AUTO_SEND_SECONDS) })}
    </p>
  );

  if (writing) {
    return (
      <section className="details details-writing" aria-labelledby="details-title" data-testid="poor-details">
        <div className="rating-head">
          <h2 id="details-title" className="details-title">
            {T.commentWrite[lang]}
          </h2>
          <p className="details-left">{fill(T.secondsLeft[lang], { n: left })}</p>
        </div>
        <CommentEntry comment={comment} lang={lang} onChange={setComment} onDone={() => setWriting(false)} />
        {notice}
        {problem && (
          <p className="citizen-error" role="alert" data-testid="details-error">
            {problem}
          </p>
        )}
      </section>
    );
  }

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
      <div className="comment-line">
        <button type="button" className="chip comment-open" data-testid="comment-open" onClick={() => setWriting(true)}>
          {text ? T.commentEdit[lang] : T.commentWrite[lang]}
        </button>
        {text && (
          <p className="comment-preview" data-testid="comment-preview">
            {redact(comment)}
          </p>
        )}
      </div>
      <PhoneEntry phone={phone} onChange={setPhone} lang={lang} />
      {phone !== '' && (
        <label className="consent">
          <input type="checkbox" data-testid="consent" checked={consent} onChange={(e) => setConsent(e.target.checked)} />
          {T.consent[lang]}
        </label>
      )}
      {notice}
      {problem && (
        <p className="citizen-error" role="alert" data-testid="details-error">
          {problem}
        </p>
      )}
      <div className="details-actions">
        <button type="button" className="primary" data-testid="details-submit" disabled={busy} onClick={submit}>
          {T.submit[lang]}
        </button>
        <button type="button" className="secondary" data-testid="details-skip" onClick={skip}>
          {T.skip[lang]}
        </button>
      </div>
    </section>
  );
}
