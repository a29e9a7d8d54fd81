/** Pause the window with a reason (shown to citizens), or resume it. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CordialApi } from '../../shared/api';
import type { WindowPhase } from '../../shared/domain';
import type { Lang } from '../common/lang';
import { ErrorLine } from './ErrorLine';
import { STAFF_TEXT as T } from './strings';
import { useCommand } from './useCommand';

export function PauseControl({ api, phase, lang }: { api: CordialApi; phase: WindowPhase; lang: Lang }) {
  const command = useCommand(api, lang);
  const [reason, setReason] = useState('');
  const canPause = phase === 'idle' || phase === 'thanks';
  // The pause button has gone with the form: 恢复服务 takes the focus and comes into view.
  const resumeButton = useRef<HTMLButtonElement>(null);
  // (Once the pause command has answered: a disabled button takes no focus.)
  const paused = phase === 'paused';
  const ready = paused && !command.busy;
  useEffect(() => {
    const button = resumeButton.current;
    if (!ready || !button) return;
    button.focus({ preventScroll: true });
    // In the middle of the screen, so the top bar above stays in view too where the panel allows.
    button.scrollIntoView({ block: 'center' });
  }, [ready]);

  const pause = async (e: FormEvent) => {
    e.preventDefault();
    if (await command.run({ type: 'pause', reason: reason.trim() })) setReason('');
  };

  return (
    <section className="card" aria-labelledby="pause-title">
      <h2 id="pause-title">{T.pauseTitle[lang]}</h2>
      {phase === 'paused' ? (
        <button ref={resumeButton} type="button" className="primary" data-testid="resume" disabled={command.busy} onClick={() => void command.run({ type: 'resume' })}>
          {T.resume[lang]}
        </button>
      ) : (
        <form onSubmit={pause}>
          <label htmlFor="pause-reason">{T.pauseReason[lang]}</label>
          <div className="row">
            <input
              id="pause-reason"
              data-testid="pause-reason"
              list="pause-reasons"
              autoComplete="off"
              maxLength={100}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <datalist id="pause-reasons">
              {T.pauseReasons[lang].split('|').map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
            <button type="submit" data-testid="pause" disabled={!canPause || command.busy}>
              {T.pause[lang]}
            </button>
          </div>
          {!canPause && <p className="hint">{T.pauseNotNow[lang]}</p>}
        </form>
      )}
      <ErrorLine message={command.error} testId="pause-error" />
    </section>
  );
}
