/** The PIN in front of the settings: first run sets it with the setup code shown on this PC, afterwards it is asked for. */
import { useEffect, useState, type FormEvent } from 'react';
import type { CordialApi } from '../../../shared/api';
import type { Lang } from '../../common/lang';
import { problemText, type Problem } from '../../common/refusal-words';
import { STAFF_TEXT } from '../strings';
import { ErrorLine } from '../ErrorLine';
import { PinForm } from './PinForm';
import { ADMIN_TEXT as T } from './strings';

export function AdminGate({ api, lang, notice, onToken }: { api: CordialApi; lang: Lang; notice: string | null; onToken(token: string): void }) {
  const [pinSet, setPinSet] = useState<boolean | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<Problem>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.adminStatus().then((r) => {
      if (r.ok) setPinSet(r.result.pinSet);
      else setError(r.error);
    });
  }, [api]);

  const login = async (value: string) => {
    setBusy(true);
    const r = await api.adminLogin({ pin: value });
    setBusy(false);
    setPin('');
    if (r.ok) onToken(r.result.token);
    else setError(r.error);
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void login(pin);
  };

  return (
    <section className="card admin-gate" aria-labelledby="admin-gate-title">
      <h2 id="admin-gate-title">{T.gateTitle[lang]}</h2>
      {notice && (
        <p className="notice" role="status" data-testid="admin-notice">
          {notice}
        </p>
      )}
      {pinSet === null && !error && <p className="hint">{STAFF_TEXT.loading[lang]}</p>}
      {pinSet === false && (
        <>
          <p>{T.firstRun[lang]}</p>
          <p className="hint" data-testid="setup-hint">
            {T.setupCodeHint[lang]}
          </p>
          <PinForm api={api} mode="first" lang={lang} onDone={(p) => void login(p)} />
        </>
      )}
      {pinSet === true && (
        <form className="admin-form" onSubmit={onSubmit}>
          <label>
            {T.adminPin[lang]}
            <input type="password" inputMode="numeric" autoComplete="off" autoFocus data-testid="admin-pin" value={pin} onChange={(e) => setPin(e.target.value)} />
          </label>
          <button type="submit" className="primary" data-testid="admin-login" disabled={busy}>
            {T.login[lang]}
          </button>
        </form>
      )}
      <ErrorLine message={problemText(error, lang)} testId="admin-login-error" />
    </section>
  );
}
