/** The standard phrase of the moment (DB34/T 3395-2019 annex A), its XX filled in, read out by screen readers too. */
import { phraseText, type PhraseFills } from '../../shared/phrases';
import type { Lang } from '../common/lang';

export function PhraseLine({ phrase, fills, lang }: { phrase: string | null; fills?: PhraseFills | null; lang: Lang }) {
  const text = phraseText(phrase, lang, fills);
  if (!text) return null;
  return (
    <p className="phrase" aria-live="polite" data-testid="phrase" data-phrase={phrase}>
      {text}
    </p>
  );
}
