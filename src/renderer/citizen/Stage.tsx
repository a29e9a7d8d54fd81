/** The large middle of the citizen screen: what the citizen should look at right now. */
import type { ReasonCode } from '../../shared/api';
import type { Snapshot } from '../../shared/contract';
import type { RatingLevel } from '../../shared/levels';
import type { Lang } from '../common/lang';
import { PoorDetails, type RatingDetails } from './PoorDetails';
import { RatingPanel } from './RatingPanel';
import { ServiceInfoPanel } from './ServiceInfoPanel';
import { CITIZEN_TEXT as T } from './strings';

interface Props {
  snapshot: Snapshot;
  skewMs: number;
  lang: Lang;
  reasons: ReasonCode[];
  detailsSkipped: boolean;
  onRate(level: RatingLevel): Promise<string | null>;
  onDetails(details: RatingDetails): Promise<string | null>;
  /** The citizen is entering details: keep them open a little longer. */
  onDetailsActivity(): void;
  onSkipDetails(): void;
}

export function Stage({ snapshot, skewMs, lang, reasons, detailsSkipped, onRate, onDetails, onDetailsActivity, onSkipDetails }: Props) {
  const { phase, rating, lastRating } = snapshot;
  if (phase === 'awaiting_rating' && rating) {
    return <RatingPanel key={snapshot.case?.id} deadline={rating.deadline} skewMs={skewMs} lang={lang} keys={snapshot.display.keys} onRate={onRate} />;
  }
  if (phase === 'thanks' && lastRating?.poor && lastRating.detailsUntil !== null && !detailsSkipped) {
    return (
      <PoorDetails
        key={lastRating.id}
        reasons={reasons}
        detailsUntil={lastRating.detailsUntil}
        skewMs={skewMs}
        lang={lang}
        onSubmit={onDetails}
        onActivity={onDetailsActivity}
        onSkip={onSkipDetails}
      />
    );
  }
  if (phase === 'thanks') {
    return (
      <section className="thanks" data-testid="thanks" aria-live="polite">
        <span className="thanks-mark" aria-hidden="true">
          ✓
        </span>
        <h2 className="thanks-title">{T.thanks[lang]}</h2>
        {lastRating?.poor && <p className="thanks-sub">{T.detailsSent[lang]}</p>}
      </section>
    );
  }
  if (phase === 'serving' && snapshot.case) {
    const info = snapshot.case.serviceInfo;
    return (
      <section className={info ? 'serving with-info' : 'serving'} data-testid="serving">
        <p className="serving-item">{snapshot.case.itemName}</p>
        {snapshot.case.ticketNo && <p className="serving-ticket">{snapshot.case.ticketNo}</p>}
        {info && <ServiceInfoPanel info={info} lang={lang} />}
      </section>
    );
  }
  if (phase === 'paused') {
    return (
      <section className="quiet" data-testid="paused">
        <p className="quiet-title">{T.paused[lang]}</p>
        {snapshot.pause && <p className="quiet-sub">{`${T.pauseReason[lang]}: ${snapshot.pause.reason}`}</p>}
      </section>
    );
  }
  if (phase === 'closed') {
    return (
      <section className="quiet" data-testid="closed">
        <p className="quiet-title">{T.closed[lang]}</p>
        <p className="quiet-sub">{T.closedHint[lang]}</p>
      </section>
    );
  }
  return (
    <section className="quiet" data-testid="idle">
      <p className="quiet-title">{T.waitingService[lang]}</p>
    </section>
  );
}
