/** Who says the standard phrases at this window now: the keypad, this PC (system voice or clips), or nobody (muted). */
import type { Snapshot } from '../../shared/contract';
import { fill, type Lang } from '../common/lang';
import { useSpeechWay } from '../common/voices';
import { SPEECH_TEXT as T } from './speech-strings';
import './speech.css';

export type SpeechShown = 'keypad' | 'voice' | 'clips' | 'muted';

export function SpeechStatus({ snapshot, lang }: { snapshot: Snapshot; lang: Lang }) {
  const { way, voiceName } = useSpeechWay();
  const { by, volume } = snapshot.speech;
  const shown: SpeechShown = by === 'screen' ? way : by;
  const label = { keypad: T.byKeypad, voice: T.byVoice, clips: T.byClips, muted: T.muted }[shown][lang];
  const note = { keypad: T.keypadNote, voice: T.voiceNote, clips: T.clipsNote, muted: T.mutedNote }[shown][lang];
  return (
    <section className="card" aria-labelledby="speech-title">
      <h2 id="speech-title">{T.title[lang]}</h2>
      <dl className="links">
        <div>
          <dt>{T.who[lang]}</dt>
          <dd data-testid="speech-status" data-way={shown}>
            <span className={`dot ${shown === 'muted' ? 'link-connecting' : 'link-online'}`} aria-hidden="true" />
            {label}
            {by === 'screen' && <span className="sub"> · {T.volume[lang]} {volume}</span>}
          </dd>
          <dd className="detail speech-note" data-testid="speech-note">
            {fill(note, { voice: voiceName ?? '' })}
          </dd>
        </div>
      </dl>
    </section>
  );
}
