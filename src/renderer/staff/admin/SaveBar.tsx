/** A form's save button and what came of the last save: the sentence, good or bad. */
import type { Lang } from '../../common/lang';
import { ErrorLine } from '../ErrorLine';
import { ADMIN_TEXT as T } from './strings';

export type SaveOutcome = { ok: true; text: string } | { ok: false; text: string } | null;

export function SaveBar({ outcome, busy, lang, testId }: { outcome: SaveOutcome; busy: boolean; lang: Lang; testId: string }) {
  return (
    <div className="save-bar">
      <button type="submit" className="primary" data-testid={`${testId}-save`} disabled={busy}>
        {T.save[lang]}
      </button>
      {outcome?.ok && (
        <p className="ok" role="status" data-testid={`${testId}-saved`}>
          {outcome.text}
        </p>
      )}
      {outcome && !outcome.ok && <ErrorLine message={outcome.text} testId={`${testId}-error`} />}
    </div>
  );
}
