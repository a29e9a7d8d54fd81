/**
 * "Follow this up": a rating that is not poor (the kiosk asks reasons of poor ratings only)
 * can still be followed up, by a supervisor or a department head, with their reason. Shown
 * in a rating's row of the drill-down; on success the new record's page opens.
 */
import { useState } from 'react';
import { FOLLOW_UP_ROUTES, OpenFollowUpBody, type ConsoleRole, type FollowUpRecord } from '../../../../../src/shared/console/contract';
import { build, call } from '../../api';
import { navigate } from '../../router';
import { sentence } from '../../session';
import { useFollowUpStrings } from './strings';
import { recordHref } from './follow-up-api';

/** The roles the centre lets open a record by hand (server/src/follow-up/routes.ts). */
export const OPENS_BY_HAND: readonly ConsoleRole[] = ['admin', 'supervisor', 'department'];

const WORDS = {
  zh: { open: '转入回访', reason: '转入回访的原因', submit: '确定', cancel: '取消', busy: '正在提交…' },
  en: { open: 'Follow up', reason: 'Why this rating is followed up', submit: 'Open the record', cancel: 'Cancel', busy: 'Opening…' },
} as const;

export function OpenByHand({ terminalId, caseId }: { terminalId: string; caseId: string }) {
  const strings = useFollowUpStrings();
  const w = WORDS[strings.language];
  const [editing, setEditing] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!editing) {
    return <button type="button" className="link-button" data-testid="open-follow-up" onClick={() => setEditing(true)}>{w.open}</button>;
  }
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const record = await call<FollowUpRecord>('POST', FOLLOW_UP_ROUTES.followUps, { body: build(OpenFollowUpBody, { terminalId, caseId, reason }) });
      navigate(recordHref(record.id));
    } catch (err) {
      setError(sentence(strings.t, err));
      setBusy(false);
    }
  };
  return (
    <form
      className="open-by-hand"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        {w.reason}
        <input data-testid="open-follow-up-reason" value={reason} maxLength={1000} required onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="submit" data-testid="open-follow-up-submit" disabled={busy || reason.trim() === ''}>{busy ? w.busy : w.submit}</button>
      <button type="button" onClick={() => setEditing(false)}>{w.cancel}</button>
      {error ? <p className="error" role="alert" data-testid="open-follow-up-error">{error}</p> : null}
    </form>
  );
}
