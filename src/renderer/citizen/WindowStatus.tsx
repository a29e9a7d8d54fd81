/** 空闲 / 服务中 / 暂停服务 (with the reason) / closed, as one large pill. */
import type { Snapshot } from '../../shared/contract';
import type { Lang } from '../common/lang';
import { CITIZEN_TEXT as T } from './strings';

type Status = 'idle' | 'serving' | 'paused' | 'closed';

export function windowStatus(snapshot: Snapshot): Status {
  switch (snapshot.phase) {
    case 'closed':
      return 'closed';
    case 'paused':
      return 'paused';
    case 'idle':
      return 'idle';
    default:
      return 'serving';
  }
}

export function WindowStatus({ snapshot, lang }: { snapshot: Snapshot; lang: Lang }) {
  const status = windowStatus(snapshot);
  return (
    <p className={`status status-${status}`} data-testid="window-status" data-status={status}>
      <span className="status-dot" aria-hidden="true" />
      {T[status][lang]}
      {status === 'paused' && snapshot.pause && (
        <span className="status-reason" data-testid="pause-reason">
          {' '}
          · {snapshot.pause.reason}
        </span>
      )}
    </p>
  );
}
