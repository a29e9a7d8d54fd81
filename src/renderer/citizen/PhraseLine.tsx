/** The standard phrase of the moment (DB34/T 3395-2019 annex A), read out by screen readers too. */
import { PHRASES, type PhraseKey } from '../../shared/phrases';
import type { Lang } from '../common/lang';

export function PhraseLine({ phrase, lang }: { phrase: string | null; lang: Lang }) {
  const entry = phrase && phrase in PHRASES ? PHRASES[phrase as PhraseKey] : null;
  if (!entry) return null;
  return (
    <p className="phrase" aria-live="polite" data-testid="phrase" data-phrase={phrase}>
      {entry[lang]}
    </p>
  );
}
