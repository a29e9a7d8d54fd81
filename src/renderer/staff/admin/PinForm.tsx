/** Sets the admin PIN: the first time with the setup code shown on this PC, later with the current PIN. */
import { useState, type FormEvent } from 'react';
import type { CordialApi } from '../../../shared/api';
import type { Lang } from '../../common/lang';
import { problemText, type Problem } from '../../common/refusal-words';
import { ErrorLine } from '../ErrorLine';
import { ADMIN_TEXT as T } from './strings';

const PIN_FORMAT = /^\d{6,12}$/;
const SETUP_CODE_FORMAT = /^\d{8}$/;

/** `first`: no PIN yet, the setup code proves the person is at this PC; `change`: the current PIN does. */
export function PinForm({ api, mode, lang, onDone }: { api: CordialApi; mode: 'first' | 'change'; lang: Lang; onDone(pin: string): void }) {
  const needCurrent = mode === 'change';
  const [setupCode, setSetupCode] = useState('');
  const [current, setCurrent] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<Problem>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const code = setupCode.replace(/[\s-]/g, '');
    if (!needCurrent && !SETUP_CODE_FORMAT.test(code)) return setError(T.setupCodeFormat);
    if (!PIN_FORMAT.test(pin)) return setError(T.pinFormat);
    if (pin !== again) return setError(T.pinMismatch);
    setBusy(true);
    const r = await api.adminSetPin({ pin, ...(needCurrent ? { currentPin: current } : { setupCode: code }) });
    setBusy(false);
    setCurrent('');
    setPin('');
    setAgain('');
    if (!r.ok) return setError(r.error);
    setError(null);
    onDone(pin);
  };

  return (
    <form className="admin-form pin-form" onSubmit={onSubmit}>
      {!needCurrent && (
        <label>
          {T.setupCode[lang]}
          <input inputMode="numeric" autoComplete="off" autoFocus data-testid="setup-code" value={setupCode} onChange={(e) => setSetupCode(e.target.value)} />
        </label>
      )}
      {needCurrent && (
        <label>
          {T.currentPin[lang]}
          <input type="password" inputMode="numeric" autoComplete="off" data-testid="current-pin" value={current} onChange={(e) => setCurrent(e.target.value)} />
        </label>
      )}
      <label>
        {T.newPin[lang]}
        <input type="password" inputMode="numeric" autoComplete="off" data-testid="new-pin" value={pin} onChange={(e) => setPin(e.target.value)} />
      </label>
      <label>
        {T.confirmPin[lang]}
        <input type="password" inputMode="numeric" autoComplete="off" data-testid="confirm-pin" value={again} onChange={(e) => setAgain(e.target.value)} />
      </label>
      <ErrorLine message={problemText(error, lang)} testId="set-pin-error" />
      <button type="submit" className="primary" data-testid="set-pin" disabled={busy}>
        {T.setPin[lang]}
      </button>
    </form>
  );
}
