/**
 * The frame: finds out who is signed in, then shows the setup page, the sign-in page or
 * the console (top bar, nav of the pages the role may use, and the page the path names).
 */
import { useEffect, useMemo, useState } from 'react';
import type { SessionInfo } from '../../../src/shared/console/contract';
import { api } from './api';
import { LanguageContext, STRINGS, useStrings, type Language } from './i18n';
import { SetupPage } from './pages/Setup';
import { SignInPage } from './pages/SignIn';
import { hrefOf, Link, navigate, usePlace } from './router';
import { homeFor, routeFor, ROUTES } from './routes';
import { sentence, SessionContext, type SessionState } from './session';
import { TopBar } from './parts/TopBar';
import { hearsLive, LiveNotices } from './live/LiveNotices';

const LANGUAGE_KEY = 'cordial.console.language';

function savedLanguage(): Language {
  return window.localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh';
}

export function App() {
  const [language, setLanguageState] = useState<Language>(savedLanguage);
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(null);
  const place = usePlace();
  const t = STRINGS[language];

  const languageState = useMemo(
    () => ({
      language,
      t,
      setLanguage(next: Language) {
        window.localStorage.setItem(LANGUAGE_KEY, next);
        setLanguageState(next);
      },
    }),
    [language, t],
  );

  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = t.product;
  }, [language, t]);

  useEffect(() => {
    api.session().then(setSession, (err: unknown) => {
      setFailure(err);
      setSession(null);
    });
  }, []);

  const sessionState: SessionState | null = useMemo(() => (session ? { session, ended: () => setSession(null) } : null), [session]);

  let body;
  if (place.path === '/setup') {
    body = <SetupPage onDone={(info) => { setSession(info); navigate(homeFor(info.user.role), { replace: true }); }} />;
  } else if (session === undefined) {
    body = <p className="loading">{t.loading}</p>;
  } else if (session === null) {
    body = (
      <>
        {failure ? <p className="error" role="alert">{sentence(t, failure)}</p> : null}
        <SignInPage onSignedIn={(info) => { setFailure(null); setSession(info); if (place.path === '/') navigate(homeFor(info.user.role), { replace: true }); }} />
      </>
    );
  } else {
    body = <Console session={session} />;
  }

  return (
    <LanguageContext.Provider value={languageState}>
      <SessionContext.Provider value={sessionState}>{body}</SessionContext.Provider>
    </LanguageContext.Provider>
  );
}

function Console({ session }: { session: SessionInfo }) {
  const place = usePlace();
  const { t, language } = useStrings();
  const role = session.user.role;
  useEffect(() => {
    if (place.path === '/') navigate(homeFor(role), { replace: true });
  }, [place.path, role]);
  const route = routeFor(place.path);
  const allowed = route && route.roles.includes(role);
  const Page = allowed ? route.page : null;
  // Moving between pages keeps the period and department, as one time picker governs them all.
  const carried = Object.fromEntries(['period', 'from', 'to', 'department'].map((k) => [k, place.query.get(k)]));
  // The nav entry whose path holds this page most closely (the calendar lives under the ledger's path).
  const current = ROUTES.filter((r) => r.label && (place.path === r.path || place.path.startsWith(`${r.path}/`))).sort((a, b) => b.path.length - a.path.length)[0]?.path;
  const navFor = (path: string) => (path === current ? 'page' : undefined);
  return (
    <div className="console">
      <TopBar />
      <nav className="side" aria-label="nav">
        {ROUTES.filter((r) => r.label && r.roles.includes(role)).map((r) => (
          <Link key={r.path} href={hrefOf(r.path, carried)} aria-current={navFor(r.path)}>
            {r.label![language]}
          </Link>
        ))}
      </nav>
      <main className="main">{Page ? <Page /> : place.path === '/' ? null : <p className="error" role="alert">{t.notFound}</p>}</main>
      {hearsLive(role) ? <LiveNotices role={role} /> : null}
    </div>
  );
}
