/**
 * The rating invitation: five levels with stars, labels and the keypad key of each (as the
 * core maps keys: the standard layout or the installation's key map), a countdown, and
 * touch buttons for a touch screen.
 */
import { useState } from 'react';
import { LEVEL_LABELS, RATING_LEVELS, type RatingLevel } from '../../shared/levels';
import { Countdown } from './Countdown';
import type { Lang } from '../common/lang';
import { CITIZEN_TEXT as T } from './strings';

interface Props {
  deadline: number;
  skewMs: number;
  lang: Lang;
  /** The keypad key of each level; a level with no key (a 4-key keypad) shows none. */
  keys: Partial<Record<RatingLevel, number>>;
  onRate(level: RatingLevel): Promise<string | null>;
}

export function RatingPanel({ deadline, skewMs, lang, keys, onRate }: Props) {
  const [sent, setSent] = useState<RatingLevel | null>(null);
  const [error, setError] = useState<string | null>(null);

  const rate = (level: RatingLevel) => {
    // One touch is one rating: a second touch would only be recorded as misuse.
    if (sent) return;
    setSent(level);
    void onRate(level).then((problem) => {
      if (problem) {
        setSent(null);
        setError(problem);
      }
    });
  };

  return (
    <section className="rating" aria-labelledby="rating-title" data-testid="rating-panel">
      <div className="rating-head">
        <h2 id="rating-title" className="rating-title">
          {T.rateTitle[lang]}
        </h2>
        <Countdown deadline={deadline} skewMs={skewMs} lang={lang} />
      </div>
      <ol className="levels">
        {RATING_LEVELS.map((level, index) => {
          const stars = RATING_LEVELS.length - index;
          const key = keys[level];
          return (
            <li key={level}>
              <button
                type="button"
                className={`level level-${level}`}
                data-testid={`rate-${level}`}
                aria-pressed={sent === level}
                disabled={sent !== null}
                onClick={() => rate(level)}
              >
                <span className="level-stars" aria-hidden="true">
                  {'★'.repeat(stars)}
                  <span className="level-stars-off">{'★'.repeat(RATING_LEVELS.length - stars)}</span>
                </span>
                <span className="level-label">{LEVEL_LABELS[level][lang]}</span>
                {key !== undefined && (
                  <span className="level-key">
                    {lang === 'en' && T.keyHint.en}
                    <kbd>{key}</kbd>
                    {lang === 'zh' && T.keyHint.zh}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ol>
      <p className="rating-hint">{T.touchHint[lang]}</p>
      {error && (
        <p className="citizen-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
