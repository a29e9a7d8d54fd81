/**
 * 意见簿 (11.2.2) on the touch screen: categories from the fixed list, a few words typed on
 * the on-screen keyboard, and a phone number for a reply with the citizen's consent. The
 * suggestion's id is made when the form opens, so a second tap on 提交 (or a resend) is kept
 * once by the core.
 */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { isPlausiblePhone, redact } from '../../shared/privacy';
import { SUGGESTION_CATEGORIES, SUGGESTION_CATEGORY_LABELS, type SuggestionCategory } from '../../shared/suggestions';
import type { Lang } from '../common/lang';
import { CommentEntry } from './CommentEntry';
import { PhoneEntry } from './PhoneEntry';
import { SUGGESTION_TEXT as S } from './suggestion-strings';
import './suggestion.css';

export interface SuggestionInput {
  suggestionId: string;
  categories: SuggestionCategory[];
  text: string;
  replyPhone?: string;
  replyConsent: boolean;
}

interface Props {
  lang: Lang;
  /** The centre's signed link to its mobile page for this window, when the centre gave one. */
  phoneLink: string | null;
  /** Resolves to null once kept, or the sentence why not. */
  onSend(input: SuggestionInput): Promise<string | null>;
  onClose(): void;
}

/** The button that opens the suggestion book, for the idle window and after a rating. */
export function SuggestionButton({ lang, onOpen }: { lang: Lang; onOpen(): void }) {
  return (
    <button type="button" className="suggestion-open" data-testid="suggestion-open" onClick={onOpen}>
      {S.open[lang]}
    </button>
  );
}

/** The link as a QR code, for the citizen who would rather write on their own phone. */
function PhoneCode({ link, lang }: { link: string; lang: Lang }) {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toDataURL(link, { margin: 1, width: 200, errorCorrectionLevel: 'M' }).then(
      (url) => current && setImage(url),
      () => current && setImage(null),
    );
    return () => {
      current = false;
    };
  }, [link]);
  if (!image) return null;
  return (
    <figure className="suggestion-qr">
      <img src={image} alt={S.qrAlt[lang]} data-testid="suggestion-qr" data-link={link} width={160} height={160} />
      <figcaption>{S.qrCaption[lang]}</figcaption>
    </figure>
  );
}

export function Suggestion({ lang, phoneLink, onSend, onClose }: Props) {
  const [suggestionId] = useState(() => crypto.randomUUID());
  const [chosen, setChosen] = useState<SuggestionCategory[]>([]);
  const [text, setText] = useState('');
  const [writing, setWriting] = useState(false);
  const [phone, setPhone] = useState('');
  const [consent, setConsent] = useState(false);
  // A sentence of ours is kept by its key, so it follows the language toggle; the core's refusal as it came.
  const [problem, setProblem] = useState<{ key: 'chooseCategory' | 'phoneInvalid' | 'consentNeeded' } | { refused: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<'plain' | 'reply' | null>(null);

  const toggle = (c: SuggestionCategory) => {
    setProblem(null);
    setChosen((now) => (now.includes(c) ? now.filter((x) => x !== c) : [...now, c]));
  };

  const submit = async () => {
    if (chosen.length === 0) return setProblem({ key: 'chooseCategory' });
    if (phone && !isPlausiblePhone(phone)) return setProblem({ key: 'phoneInvalid' });
    if (phone && !consent) return setProblem({ key: 'consentNeeded' });
    setBusy(true);
    setProblem(null);
    const refused = await onSend({ suggestionId, categories: SUGGESTION_CATEGORIES.filter((c) => chosen.includes(c)), text: text.trim(), replyPhone: phone || undefined, replyConsent: phone ? consent : false });
    setBusy(false);
    if (refused) return setProblem({ refused });
    setSent(phone ? 'reply' : 'plain');
  };

  if (sent) {
    return (
      <section className="suggestion suggestion-sent" aria-live="polite" data-testid="suggestion-sent">
        <p className="suggestion-thanks">{sent === 'reply' ? S.thanksReply[lang] : S.thanks[lang]}</p>
        <button type="button" className="primary" data-testid="suggestion-done" onClick={onClose}>
          {S.done[lang]}
        </button>
      </section>
    );
  }

  if (writing) {
    return (
      <section className="suggestion suggestion-writing" aria-labelledby="suggestion-title" data-testid="suggestion">
        <h2 id="suggestion-title" className="suggestion-title">
          {S.title[lang]}
        </h2>
        <CommentEntry comment={text} lang={lang} onChange={setText} onDone={() => setWriting(false)} />
      </section>
    );
  }

  return (
    <section className="suggestion" aria-labelledby="suggestion-title" data-testid="suggestion">
      <div className="suggestion-head">
        <div>
          <h2 id="suggestion-title" className="suggestion-title">
            {S.title[lang]}
          </h2>
          <p className="suggestion-intro">{S.intro[lang]}</p>
        </div>
        {phoneLink ? <PhoneCode link={phoneLink} lang={lang} /> : null}
      </div>
      <div className="chips" role="group" aria-labelledby="suggestion-title">
        {SUGGESTION_CATEGORIES.map((c) => (
          <button key={c} type="button" className="chip" data-testid={`suggestion-category-${c}`} aria-pressed={chosen.includes(c)} onClick={() => toggle(c)}>
            {SUGGESTION_CATEGORY_LABELS[c][lang]}
          </button>
        ))}
      </div>
      <div className="comment-line">
        <button type="button" className="chip comment-open" data-testid="suggestion-write" onClick={() => setWriting(true)}>
          {text ? S.edit[lang] : S.write[lang]}
        </button>
        {text && (
          <p className="comment-preview" data-testid="suggestion-preview">
            {redact(text)}
          </p>
        )}
      </div>
      <PhoneEntry
        phone={phone}
        onChange={(p) => {
          setProblem(null);
          setPhone(p);
        }}
        lang={lang}
      />
      {phone !== '' && (
        <label className="consent">
          <input type="checkbox" data-testid="suggestion-consent" checked={consent} onChange={(e) => {
              setProblem(null);
              setConsent(e.target.checked);
            }} />
          {S.consent[lang]}
        </label>
      )}
      {problem && (
        <p className="citizen-error" role="alert" data-testid="suggestion-error">
          {'key' in problem ? S[problem.key][lang] : S.failed[lang] + problem.refused}
        </p>
      )}
      <div className="details-actions">
        <button type="button" className="primary" data-testid="suggestion-submit" disabled={busy} onClick={() => void submit()}>
          {busy ? S.sending[lang] : S.submit[lang]}
        </button>
        <button type="button" className="secondary" data-testid="suggestion-cancel" onClick={onClose}>
          {S.cancel[lang]}
        </button>
      </div>
    </section>
  );
}
