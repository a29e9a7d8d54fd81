/** Sign-in: a refusal (wrong password, lockout with its wait) is shown as the centre's sentence. */
import { useEffect, useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../../src/shared/console/contract';
import { api } from '../api';
import { useStrings } from '../i18n';
import { sentence } from '../session';
import { LanguageSwitch } from '../parts/LanguageSwitch';

export function SignInPage({ onSignedIn }: { onSignedIn(info: SessionInfo): void }) {
  const { t } = useStrings();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [setupNeeded, setSetupNeeded] = useState(false);
  useEffect(() => {
    // Before the first admin exists nobody can sign in: say where the way in is.
    api.setupNeeded().then((answer) => setSetupNeeded(answer.needed), () => undefined);
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    api.signIn({ username, password }).then(onSignedIn, (err: unknown) => {
      setError(sentence(t, err, t.errors.signIn));
      setPassword('');
      setBusy(false);
    });
  };
  return (
    <div className="gate">
      <form className="card" onSubmit={submit}>
        <LanguageSwitch />
        <h1>{t.product}</h1>
        <h2>{t.signIn.title}</h2>
        {setupNeeded ? <p className="note" data-testid="setup-needed">{t.setup.lead}</p> : null}
        <label>
          {t.signIn.username}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          {t.signIn.password}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error ? <p className="error" role="alert">{error}</p> : null}
        <button type="submit" className="primary" disabled={busy}>{busy ? t.signIn.busy : t.signIn.submit}</button>
      </form>
    </div>
  );
}
