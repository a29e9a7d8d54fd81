/**
 * Sign in by badge (a USB badge reader types the badge id and Enter into the focused
 * field) or by 工号 + PIN.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { CordialApi } from '../../shared/api';
import type { Lang } from '../common/lang';
import { ErrorLine } from './ErrorLine';
import { STAFF_TEXT as T } from './strings';
import { useCommand } from './useCommand';

export function SignIn({ api, lang }: { api: CordialApi; lang: Lang }) {
  const badge = useCommand(api, lang);
  const pinSignIn = useCommand(api, lang);
  const [badgeId, setBadgeId] = useState('');
  const [staffNo, setStaffNo] = useState('');
  const [pin, setPin] = useState('');
  const badgeField = useRef<HTMLInputElement>(null);

  const scan = async (e: FormEvent) => {
    e.preventDefault();
    const id = badgeId.trim();
    setBadgeId('');
    if (id) await badge.run({ type: 'signInBadge', badgeId: id });
    badgeField.current?.focus();
  };

  const withPin = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await pinSignIn.run({ type: 'signInPin', staffNo: staffNo.trim(), pin });
    setPin('');
    if (ok) setStaffNo('');
  };

  return (
    <section className="card sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{T.signInTitle[lang]}</h2>
      <form className="badge-form" onSubmit={scan}>
        <label htmlFor="badge-id">{T.badgeLabel[lang]}</label>
        <div className="row">
          <input
            id="badge-id"
            ref={badgeField}
            data-testid="badge-input"
            type="password"
            autoComplete="off"
            autoFocus
            value={badgeId}
            onChange={(e) => setBadgeId(e.target.value)}
          />
          <button type="submit">{T.badgeSubmit[lang]}</button>
        </div>
        <ErrorLine message={badge.error} testId="badge-error" />
      </form>
      <form className="pin-form" onSubmit={withPin}>
        <p className="hint">{T.orPin[lang]}</p>
        <div className="row">
          <label>
            {T.staffNo[lang]}
            <input data-testid="staff-no-input" autoComplete="off" value={staffNo} onChange={(e) => setStaffNo(e.target.value)} />
          </label>
          <label>
            {T.pin[lang]}
            <input
              data-testid="pin-input"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              value={pin}
              onChange={(e) => setPin(e.target.value)}
            />
          </label>
          <button type="submit" disabled={pinSignIn.busy}>
            {T.pinSubmit[lang]}
          </button>
        </div>
        <ErrorLine message={pinSignIn.error} testId="pin-error" />
      </form>
    </section>
  );
}
