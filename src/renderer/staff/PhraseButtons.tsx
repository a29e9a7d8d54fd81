/**
 * Every standard phrase of annex A, one touch each. Phrases the keypad knows are spoken by it
 * and shown on the citizen screen; the others are shown on the citizen screen. A phrase with
 * an XX takes it from the open case and is offered only while there is one. The card's help
 * lists the phrases never to use (A.2).
 */
import type { CordialApi } from '../../shared/api';
import type { WindowPhase } from '../../shared/domain';
import { ANNEX_A, fillPhrase, STAFF_PHRASES, type StaffPhraseKey } from '../../shared/phrases';
import type { Lang } from '../common/lang';
import { ErrorLine } from './ErrorLine';
import { BANNED_PHRASES, PHRASE_TEXT as P } from './phraseText';
import { STAFF_TEXT as T } from './strings';
import { useCommand } from './useCommand';

export function PhraseButtons({
  api,
  phase,
  itemName,
  lang,
}: {
  api: CordialApi;
  phase: WindowPhase;
  /** The open case's item, which fills A.1.1.3's documents; null without a case. */
  itemName: string | null;
  lang: Lang;
}) {
  const command = useCommand(api, lang);
  const usable = phase !== 'closed' && phase !== 'paused';
  const label = (key: StaffPhraseKey): string | null => {
    if (ANNEX_A[key].fills.length === 0) return fillPhrase(key, lang);
    return itemName ? fillPhrase(key, lang, { materials: itemName }) : null;
  };
  return (
    <section className="card phrase-card" aria-labelledby="phrases-title">
      <h2 id="phrases-title">{T.phrasesTitle[lang]}</h2>
      <ul className="phrase-buttons">
        {STAFF_PHRASES.map((key) => {
          const text = label(key);
          const entry = ANNEX_A[key];
          return (
            <li key={key}>
              {text === null ? (
                <p className="phrase-unavailable" data-testid={`phrase-${key}-unavailable`}>
                  <span className="phrase-moment">{entry.moment}</span> {P.needsCase[lang]}
                </p>
              ) : (
                <button
                  type="button"
                  data-testid={`phrase-${key}`}
                  disabled={!usable || command.busy}
                  onClick={() => void command.run({ type: 'playPhrase', phrase: key })}
                >
                  <span className="phrase-words">{text}</span>
                  <span className="phrase-meta">
                    {entry.moment} · {entry.prompt ? P.spoken[lang] : P.shown[lang]}
                  </span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <p className="phrase-note">{P.byItself[lang]}</p>
      <ErrorLine message={command.error} />
      <details className="phrase-help" data-testid="phrase-help">
        <summary>{P.helpTitle[lang]}</summary>
        <p>{P.helpIntro[lang]}</p>
        <ul data-testid="banned-phrases">
          {BANNED_PHRASES.map((b) => (
            <li key={b.zh} lang={lang === 'zh' ? 'zh-CN' : 'en'}>
              {b[lang]}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
