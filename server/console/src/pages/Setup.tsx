/** First start: the link the centre printed carries the one-time token in its #fragment, which never reaches a server log. */
import { useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../../src/shared/console/contract';
import { api } from '../api';
import { useStrings } from '../i18n';
import { sentence } from '../session';
import { LanguageSwitch } from '../parts/LanguageSwitch';

function tokenInLink(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('token');
}

export function SetupPage({ onDone }: { onDone(info: SessionInfo): void }) {
  const { t } = useStrings();
  const [token] = useState(tokenInLink);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!token) return;
    setBusy(true);
    setError(null);
    api.setup({ setupToken: token, username, displayName, password }).then(
      (info) => {
        // The token is spent: keep it out of the address bar and the history.
        window.history.replaceState(null, '', '/setup');
        onDone(info);
      },
      (err: unknown) => {
        setError(sentence(t, err));
        setBusy(false);
      },
    );
  };
  return (
    <div className="gate">
      <form className="card" onSubmit={submit}>
        <LanguageSwitch />
        <h1>{t.product}</h1>
        <h2>{t.setup.title}</h2>
        <p className="note">{t.setup.lead}</p>
        {token ? null : <p className="error" role="alert">{t.setup.noToken}</p>}
        <label>
          {t.signIn.username}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          {t.setup.displayName}
          <input name="displayName" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />
        </label>
        <label>
          {t.signIn.password}
          <input name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error ? <p className="error" role="alert">{error}</p> : null}
        <button type="submit" className="primary" disabled={busy || !token}>{t.setup.submit}</button>
      </form>
    </div>
  );
}
