/** The standard phrases staff may play on demand: shown on the citizen screen and spoken by the keypad. */
import type { CordialApi } from '../../shared/api';
import type { WindowPhase } from '../../shared/domain';
import { PHRASES, STAFF_PHRASES } from '../../shared/phrases';
import type { Lang } from '../common/lang';
import { ErrorLine } from './ErrorLine';
import { STAFF_TEXT as T } from './strings';
import { useCommand } from './useCommand';

export function PhraseButtons({ api, phase, lang }: { api: CordialApi; phase: WindowPhase; lang: Lang }) {
  const command = useCommand(api);
  const usable = phase !== 'closed' && phase !== 'paused';
  return (
    <section className="card" aria-labelledby="phrases-title">
      <h2 id="phrases-title">{T.phrasesTitle[lang]}</h2>
      <div className="phrase-buttons">
        {STAFF_PHRASES.map((phrase) => (
          <button
            key={phrase}
            type="button"
            data-testid={`phrase-${phrase}`}
            disabled={!usable || command.busy}
            onClick={() => void command.run({ type: 'playPhrase', phrase })}
          >
            {PHRASES[phrase][lang]}
          </button>
        ))}
      </div>
      <ErrorLine message={command.error} />
    </section>
  );
}
