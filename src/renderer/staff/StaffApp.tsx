/** The staff panel: sign in, the case in hand, pause, phrases, today's figures, links; settings behind a PIN. */
import { useEffect, useState } from 'react';
import type { CordialApi } from '../../shared/api';
import { ConnectionBanner } from '../common/ConnectionBanner';
import { htmlLang, type Lang } from '../common/lang';
import { useKiosk } from '../common/useKiosk';
import { AdminArea } from './admin/AdminArea';
import { CaseDesk } from './CaseDesk';
import { ErrorLine } from './ErrorLine';
import { LinkStatus } from './LinkStatus';
import { PauseControl } from './PauseControl';
import { PhraseButtons } from './PhraseButtons';
import { SignIn } from './SignIn';
import { SpeechStatus } from './SpeechStatus';
import { STAFF_TEXT as T } from './strings';
import { TodayPanel } from './TodayPanel';
import { useCommand } from './useCommand';

export function StaffApp({ api, defaultLang }: { api: CordialApi; defaultLang: Lang }) {
  const { snapshot, connected, skewMs } = useKiosk(api);
  const [lang, setLang] = useState<Lang>(defaultLang);
  const [view, setView] = useState<'desk' | 'admin'>('desk');
  const signOut = useCommand(api, lang);

  useEffect(() => {
    document.documentElement.lang = htmlLang(lang);
  }, [lang]);

  if (!snapshot) {
    return (
      <div className="staff">
        <ConnectionBanner connected={connected} lang={lang} />
        <p className="loading">{T.loading[lang]}</p>
      </div>
    );
  }
  const { phase, staff } = snapshot;
  const figuresVersion = `${phase}|${snapshot.case?.id ?? ''}|${snapshot.lastRating?.id ?? ''}`;

  return (
    <div className="staff" data-phase={phase}>
      <ConnectionBanner connected={connected} lang={lang} />
      <header className="staff-top">
        <h1>
          {T.window[lang]} {snapshot.window.windowNo}
          {snapshot.window.departmentName && <span className="sub"> · {snapshot.window.departmentName}</span>}
        </h1>
        <p className={`phase phase-${phase}`} data-testid="staff-phase" data-phase={phase}>
          {T[`phase_${phase}`][lang]}
        </p>
        {staff && (
          <p className="who" data-testid="signed-in-as">
            {staff.name} <span className="sub">({staff.staffNo})</span>
          </p>
        )}
        <nav className="top-actions" aria-label={T.title[lang]}>
          {staff && view === 'desk' && (
            <button type="button" data-testid="sign-out" disabled={signOut.busy} onClick={() => void signOut.run({ type: 'signOut' })}>
              {T.signOut[lang]}
            </button>
          )}
          <button type="button" data-testid="toggle-admin" onClick={() => setView(view === 'desk' ? 'admin' : 'desk')}>
            {view === 'desk' ? T.settings[lang] : T.back[lang]}
          </button>
          <button type="button" data-testid="staff-lang" lang={lang === 'zh' ? 'en' : 'zh-CN'} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {T.language[lang]}
          </button>
        </nav>
      </header>
      {snapshot.sync.unencrypted === true && (
        <div className="unencrypted-warning" role="alert" data-testid="unencrypted-warning">
          <span className="warning-mark" aria-hidden="true">
            ⚠
          </span>
          <p>
            <strong>{T.unencryptedTitle[lang]}</strong> {T.unencrypted[lang]}
          </p>
        </div>
      )}
      <ErrorLine message={signOut.error} testId="sign-out-error" />
      {view === 'admin' ? (
        <AdminArea api={api} snapshot={snapshot} lang={lang} />
      ) : (
        <main className="desk">
          <div className="desk-main">
            {phase === 'closed' ? (
              <SignIn api={api} lang={lang} />
            ) : (
              <>
                <section className="card case-card">
                  <CaseDesk api={api} snapshot={snapshot} skewMs={skewMs} lang={lang} />
                </section>
                <div className="desk-pair">
                  <PauseControl api={api} phase={phase} lang={lang} />
                  <PhraseButtons api={api} phase={phase} itemName={snapshot.case?.itemName ?? null} lang={lang} />
                </div>
              </>
            )}
          </div>
          <aside className="desk-side">
            {phase !== 'closed' && <TodayPanel api={api} version={figuresVersion} lang={lang} />}
            <LinkStatus api={api} snapshot={snapshot} lang={lang} />
            <SpeechStatus snapshot={snapshot} lang={lang} />
          </aside>
        </main>
      )}
    </div>
  );
}
