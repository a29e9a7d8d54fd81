/** The bar across the top: who is signed in, the language switch, sign out here or everywhere. */
import { useState } from 'react';
import { api } from '../api';
import { useStrings } from '../i18n';
import { sentence, useSession } from '../session';

export function TopBar() {
  const { t, language, setLanguage } = useStrings();
  const { session, ended } = useSession();
  const [error, setError] = useState<string | null>(null);
  const user = session.user;
  const leave = (how: () => Promise<void>) => () => {
    how().then(ended, (err: unknown) => setError(sentence(t, err)));
  };
  return (
    <header className="top">
      <span className="product">{t.product}</span>
      {error ? <span className="error" role="alert">{error}</span> : null}
      <span className="who" data-testid="who">
        <strong>{user.displayName}</strong> ({user.username}) · {t.roles[user.role]}
        {user.departmentCode ? ` · ${t.top.department} ${user.departmentCode}` : ''}
      </span>
      <button type="button" className="link" lang={language === 'zh' ? 'en' : 'zh-CN'} onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}>
        {t.top.language}
      </button>
      <button type="button" onClick={leave(() => api.signOut())}>{t.top.signOut}</button>
      <button type="button" onClick={leave(() => api.signOutEverywhere())}>{t.top.signOutEverywhere}</button>
    </header>
  );
}
