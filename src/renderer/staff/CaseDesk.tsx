/**
 * The case in hand, by phase: open one, finish it, or wait while the citizen rates.
 * There is deliberately nothing here that could enter or change a rating.
 */
import type { CordialApi } from '../../shared/api';
import type { Snapshot } from '../../shared/contract';
import { secondsLeft, useNow } from '../common/useNow';
import { fill, type Lang } from '../common/lang';
import { FinishCaseForm } from './FinishCaseForm';
import { OpenCaseForm } from './OpenCaseForm';
import { STAFF_TEXT as T } from './strings';

function AwaitingRating({ deadline, skewMs, lang }: { deadline: number; skewMs: number; lang: Lang }) {
  const left = secondsLeft(deadline, useNow(true), skewMs);
  return (
    <div className="waiting" data-testid="awaiting-rating">
      <p className="waiting-title">{fill(T.awaiting[lang], { n: left })}</p>
      <p className="hint">{T.noRatingHere[lang]}</p>
    </div>
  );
}

export function CaseDesk({ api, snapshot, skewMs, lang }: { api: CordialApi; snapshot: Snapshot; skewMs: number; lang: Lang }) {
  switch (snapshot.phase) {
    case 'serving':
      return snapshot.case ? <FinishCaseForm key={snapshot.case.id} api={api} current={snapshot.case} lang={lang} /> : null;
    case 'awaiting_rating':
      return snapshot.rating ? <AwaitingRating deadline={snapshot.rating.deadline} skewMs={skewMs} lang={lang} /> : null;
    case 'thanks':
    case 'idle':
      // One tree for both phases: the form keeps what staff typed when thanks ends.
      return (
        <>
          {snapshot.phase === 'thanks' && (
            <p className="notice" data-testid="rated-notice">
              {T.rated[lang]}
            </p>
          )}
          <OpenCaseForm api={api} lang={lang} refreshKey={snapshot.sync.lastSuccessAt} />
        </>
      );
    case 'paused':
      return (
        <p className="notice" data-testid="paused-notice">
          {fill(T.pausedFor[lang], { reason: snapshot.pause?.reason ?? '' })}
        </p>
      );
    case 'closed':
      return null;
  }
}
