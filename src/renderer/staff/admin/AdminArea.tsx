/** Admin settings: the PIN gate until the PIN has been accepted, then the settings pages. */
import { useCallback, useState } from 'react';
import type { CordialApi } from '../../../shared/api';
import type { Snapshot } from '../../../shared/contract';
import type { Lang } from '../../common/lang';
import { AdminGate } from './AdminGate';
import { AdminPanel } from './AdminPanel';
import { ADMIN_TEXT as T } from './strings';

export function AdminArea({ api, snapshot, lang }: { api: CordialApi; snapshot: Snapshot; lang: Lang }) {
  const [token, setToken] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const expired = useCallback(() => {
    setToken(null);
    setNotice(T.settingsLocked[lang]);
  }, [lang]);

  if (!token) {
    return (
      <main className="admin">
        <AdminGate
          api={api}
          lang={lang}
          notice={notice}
          onToken={(t) => {
            setNotice(null);
            setToken(t);
          }}
        />
      </main>
    );
  }
  const pinChanged = () => {
    setToken(null);
    setNotice(T.pinChanged[lang]);
  };
  return <AdminPanel api={api} token={token} snapshot={snapshot} lang={lang} onLock={() => setToken(null)} onExpired={expired} onPinChanged={pinChanged} />;
}
