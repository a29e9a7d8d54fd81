/** Seconds left to rate, counted on the page clock corrected to the core's clock. */
import { secondsLeft, useNow } from '../common/useNow';
import { fill, type Lang } from '../common/lang';
import { CITIZEN_TEXT as T } from './strings';

export function Countdown({ deadline, skewMs, lang }: { deadline: number; skewMs: number; lang: Lang }) {
  const now = useNow(true);
  const left = secondsLeft(deadline, now, skewMs);
  return (
    <p className="countdown" role="timer" data-testid="countdown" data-seconds={left}>
      <span className="countdown-number" aria-hidden="true">
        {left}
      </span>
      <span className="countdown-text">{fill(T.secondsLeft[lang], { n: left })}</span>
    </p>
  );
}
