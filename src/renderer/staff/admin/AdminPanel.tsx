/** The settings pages behind the admin PIN; every save is checked with the core's own schema first. */
import { useCallback, useEffect, useState } from 'react';
import type { CordialApi } from '../../../shared/api';
import type { AdminSettings } from '../../../shared/config';
import type { Snapshot } from '../../../shared/contract';
import type { Lang } from '../../common/lang';
import { problemText, refusalText, type Problem } from '../../common/refusal-words';
import { ErrorLine } from '../ErrorLine';
import { checkSettings } from './checkSettings';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { ExportPanel } from './ExportPanel';
import { CentreTrustForm } from './CentreTrustForm';
import { EnrolForm } from './EnrolForm';
import { GeneralForm } from './GeneralForm';
import { IdentityForm } from './IdentityForm';
import { KeypadForm } from './KeypadForm';
import { KeypadTest } from './KeypadTest';
import { PinForm } from './PinForm';
import { SlipPrintForm } from './SlipPrintForm';
import { SpeechForm } from './SpeechForm';
import { ADMIN_TEXT as T } from './strings';
import type { SaveSettings } from './useSave';

const TABS = ['identity', 'keypad', 'test', 'general', 'export', 'diagnostics', 'pin'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL = { identity: 'tabIdentity', keypad: 'tabKeypad', test: 'tabTest', general: 'tabGeneral', export: 'tabExport', diagnostics: 'tabDiagnostics', pin: 'tabPin' } as const;

interface Props {
  api: CordialApi;
  token: string;
  snapshot: Snapshot;
  lang: Lang;
  onLock(): void;
  onExpired(): void;
  /** The core ends every admin session when the PIN changes, this one included. */
  onPinChanged(): void;
}

export function AdminPanel({ api, token, snapshot, lang, onLock, onExpired, onPinChanged }: Props) {
  const [tab, setTab] = useState<Tab>('identity');
  const [settings, setSettings] = useState<AdminSettings | null>(null);
  const [loadError, setLoadError] = useState<Problem>(null);
  const [enrolments, setEnrolments] = useState(0);

  useEffect(() => {
    void api.adminSettings({ token }).then((r) => {
      if (r.ok) setSettings(r.result);
      else if (r.error.code === 'unauthorised') onExpired();
      else setLoadError(r.error);
    });
  }, [api, token, onExpired]);

  const save: SaveSettings = useCallback(
    async (candidate) => {
      const checked = checkSettings(candidate, lang);
      // Bad input never leaves the page: nothing is sent, nothing changes.
      if (!checked.ok) return { ok: false, text: checked.message };
      const r = await api.adminSaveSettings({ token, settings: checked.settings });
      if (!r.ok) {
        if (r.error.code === 'unauthorised') onExpired();
        return { ok: false, text: refusalText(r.error, lang) };
      }
      setSettings(r.result.settings);
      const parts = r.result.restarted.map((p) => ({ core: T.partCore, keypad: T.partKeypad, sync: T.partSync })[p][lang]);
      const note = parts.length > 0 ? `${T.restarted[lang]}${parts.join(lang === 'zh' ? '、' : ', ')}` : T.restartedNothing[lang];
      return { ok: true, text: `${T.saved[lang]} ${note}` };
    },
    [api, token, lang, onExpired],
  );

  return (
    <main className="admin">
      <div className="admin-tabs" role="tablist" aria-label={T.gateTitle[lang]}>
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-selected={tab === t}
            aria-controls="admin-page"
            data-testid={`tab-${t}`}
            onClick={() => setTab(t)}
          >
            {T[TAB_LABEL[t]][lang]}
          </button>
        ))}
        <button type="button" className="lock" data-testid="admin-lock" onClick={onLock}>
          {T.logout[lang]}
        </button>
      </div>
      <section className="card admin-page" id="admin-page" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        <ErrorLine message={problemText(loadError, lang)} testId="settings-error" />
        {!settings && !loadError && <p className="hint">{T.loadingSettings[lang]}</p>}
        {settings && tab === 'identity' && <IdentityForm settings={settings} terminalId={snapshot.window.terminalId} save={save} lang={lang} />}
        {settings && tab === 'keypad' && <KeypadForm api={api} token={token} settings={settings} save={save} lang={lang} />}
        {tab === 'test' && <KeypadTest api={api} snapshot={snapshot} lang={lang} />}
        {settings && tab === 'general' && (
          <>
            <GeneralForm settings={settings} save={save} lang={lang} />
            <SlipPrintForm settings={settings} save={save} lang={lang} />
            <SpeechForm settings={settings} save={save} lang={lang} />
            <CentreTrustForm api={api} token={token} settings={settings} save={save} lang={lang} enrolments={enrolments} onUnauthorised={onExpired} />
            <EnrolForm api={api} token={token} lang={lang} onEnrolled={() => setEnrolments((n) => n + 1)} />
          </>
        )}
        {tab === 'export' && <ExportPanel api={api} token={token} lang={lang} onUnauthorised={onExpired} />}
        {tab === 'diagnostics' && <DiagnosticsPanel api={api} token={token} lang={lang} onUnauthorised={onExpired} />}
        {tab === 'pin' && (
          <>
            <h3>{T.changePin[lang]}</h3>
            <PinForm api={api} mode="change" lang={lang} onDone={onPinChanged} />
          </>
        )}
      </section>
    </main>
  );
}
