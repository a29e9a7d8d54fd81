/** Volume and mute of the phrases the window says itself when its keypad cannot; saved with the kiosk's settings. */
import { useState, type FormEvent } from 'react';
import type { AdminSettings } from '../../../shared/config';
import type { Lang } from '../../common/lang';
import { sayPhrase } from '../../citizen/speech';
import { SPEECH_TEXT as T } from '../speech-strings';
import '../speech.css';
import { toNumber } from './checkSettings';
import { SaveBar } from './SaveBar';
import { useSave, type SaveSettings } from './useSave';

export function SpeechForm({ settings, save, lang }: { settings: AdminSettings; save: SaveSettings; lang: Lang }) {
  const { outcome, busy, submit } = useSave(save);
  const [volume, setVolume] = useState(String(settings.speech.volume));
  const [muted, setMuted] = useState(settings.speech.muted);
  const level = toNumber(volume);
  const playable = Number.isInteger(level) && level > 0 && level <= 100 && !muted;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit({ ...settings, speech: { volume: level, muted } });
  };

  return (
    <form className="admin-form speech-form" aria-labelledby="speech-settings-title" onSubmit={onSubmit} data-testid="speech-settings">
      <h3 id="speech-settings-title">{T.heading[lang]}</h3>
      <p className="hint">{T.volumeHint[lang]}</p>
      <div className="field">
        <label htmlFor="speech-volume">{T.volume[lang]}</label>
        <div className="speech-volume">
          <input
            type="range"
            min={0}
            max={100}
            step={5}
            aria-label={T.volume[lang]}
            disabled={muted}
            value={Number.isFinite(level) ? Math.min(100, Math.max(0, level)) : 0}
            onChange={(e) => setVolume(e.target.value)}
          />
          <input id="speech-volume" className="speech-volume-number" data-testid="speech-volume" inputMode="numeric" disabled={muted} value={volume} onChange={(e) => setVolume(e.target.value)} />
          <button type="button" data-testid="speech-try" title={T.tryHint[lang]} disabled={!playable} onClick={() => sayPhrase('greeting', level)}>
            {T.tryIt[lang]}
          </button>
        </div>
      </div>
      <label className="inline">
        <input type="checkbox" data-testid="speech-muted" checked={muted} onChange={(e) => setMuted(e.target.checked)} />
        {T.mute[lang]}
      </label>
      <SaveBar outcome={outcome} busy={busy} lang={lang} testId="speech" />
    </form>
  );
}
