/**
 * How this window trusts the centre: the plaintext switch with what it means, the CA that
 * issues the centre's certificate (read and shown before it is saved), and the key pin,
 * with the key recorded at enrolment.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { CaCertificateInfo, CentreTrustState, CordialApi } from '../../../shared/api';
import type { AdminSettings } from '../../../shared/config';
import { groupedPin, isKeyPin, joinPem, readPemCertificates } from '../../../shared/pem';
import { fill, type Lang } from '../../common/lang';
import { refusalText } from '../../common/refusal-words';
import { ErrorLine } from '../ErrorLine';
import { SaveBar } from './SaveBar';
import { ADMIN_TEXT as T } from './strings';
import { useSave, type SaveSettings } from './useSave';

type PinMode = 'off' | 'enrolment' | 'typed';

interface Props {
  api: CordialApi;
  token: string;
  settings: AdminSettings;
  save: SaveSettings;
  lang: Lang;
  /** Changes after each enrolment, so the recorded key is read again. */
  enrolments: number;
  onUnauthorised(): void;
}

/** The CA text, read: nothing yet, a refusal sentence, or the certificates as the core describes them. */
type CaReading = { state: 'none' } | { state: 'checking' } | { state: 'refused'; message: string } | { state: 'read'; pem: string; certificates: CaCertificateInfo[] };

function pinModeOf(pin: AdminSettings['centre']['pin']): PinMode {
  return pin === null ? 'off' : pin === 'enrolment' ? 'enrolment' : 'typed';
}

export function CentreTrustForm({ api, token, settings, save, lang, enrolments, onUnauthorised }: Props) {
  const { outcome, busy, submit, clear } = useSave(save);
  const [allowPlaintext, setAllowPlaintext] = useState(settings.centre.allowPlaintext);
  const [caText, setCaText] = useState(settings.centre.caCertificate ?? '');
  const [reading, setReading] = useState<CaReading>({ state: 'none' });
  const [pinMode, setPinMode] = useState<PinMode>(pinModeOf(settings.centre.pin));
  const [typedPin, setTypedPin] = useState(pinModeOf(settings.centre.pin) === 'typed' ? (settings.centre.pin ?? '') : '');
  const [pinError, setPinError] = useState<string | null>(null);
  const [trust, setTrust] = useState<CentreTrustState | null>(null);
  const asked = useRef(0);

  useEffect(() => {
    void api.adminCentreTrust({ token }).then((r) => {
      if (r.ok) setTrust(r.result);
      else if (r.error.code === 'unauthorised') onUnauthorised();
    });
  }, [api, token, enrolments, onUnauthorised]);

  /** Reads the CA text: the page's own check first (a pasted key never leaves it), then the core's for subject and dates. */
  const readCa = useCallback(
    async (text: string): Promise<CaReading> => {
      const ask = ++asked.current;
      const show = (r: CaReading) => {
        if (ask === asked.current) setReading(r);
        return r;
      };
      if (text.trim() === '') return show({ state: 'none' });
      const local = readPemCertificates(text);
      if (!local.ok) return show({ state: 'refused', message: fill(T[`pem_${local.problem}`][lang], { label: local.label ?? '' }) });
      const pem = joinPem(local.certificates);
      show({ state: 'checking' });
      const r = await api.adminCheckCertificate({ token, pem });
      if (!r.ok) {
        if (r.error.code === 'unauthorised') onUnauthorised();
        return show({ state: 'refused', message: refusalText(r.error, lang) });
      }
      return show({ state: 'read', pem, certificates: r.result });
    },
    [api, token, lang, onUnauthorised],
  );

  // Read as IT pastes or types, so the subject and dates are on the page before Save.
  useEffect(() => {
    const timer = setTimeout(() => void readCa(caText), 250);
    return () => clearTimeout(timer);
  }, [caText, readCa]);

  const chooseFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      setCaText(await file.text());
    } catch (err) {
      setReading({ state: 'refused', message: fill(T.caFileUnreadable[lang], { reason: (err as Error).message }) });
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setPinError(null);
    // The CA is read again first: the last save's 已保存 must not stand for this one meanwhile.
    clear();
    const ca = await readCa(caText);
    if (ca.state === 'refused' || ca.state === 'checking') return;
    if (pinMode === 'typed' && !isKeyPin(typedPin)) {
      setPinError(T.keyPinFormat[lang]);
      return;
    }
    const pin = pinMode === 'off' ? null : pinMode === 'enrolment' ? 'enrolment' : typedPin.trim();
    await submit({ ...settings, centre: { ...settings.centre, allowPlaintext, caCertificate: ca.state === 'read' ? ca.pem : null, pin } });
  };

  return (
    <form className="admin-form trust-form" aria-labelledby="trust-title" onSubmit={(e) => void onSubmit(e)}>
      <h3 id="trust-title">{T.trustTitle[lang]}</h3>

      <fieldset className="trust-part">
        <legend>{T.plaintextTitle[lang]}</legend>
        <label className="inline">
          <input type="checkbox" role="switch" data-testid="allow-plaintext" checked={allowPlaintext} onChange={(e) => setAllowPlaintext(e.target.checked)} />
          {T.allowPlaintext[lang]}
        </label>
        <p className={allowPlaintext ? 'warning' : 'hint'} data-testid="plaintext-meaning">
          {T.plaintextWarning[lang]}
        </p>
        <p className="hint">{T.plaintextLoopback[lang]}</p>
      </fieldset>

      <fieldset className="trust-part">
        <legend>{T.caTitle[lang]}</legend>
        <textarea
          data-testid="ca-pem"
          aria-label={T.caTitle[lang]}
          rows={5}
          spellCheck={false}
          autoComplete="off"
          placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
          value={caText}
          onChange={(e) => setCaText(e.target.value)}
        />
        <div className="row">
          <label className="file-pick">
            <input type="file" className="visually-hidden" data-testid="ca-file" accept=".pem,.crt,.cer,.txt" onChange={(e) => void chooseFile(e.target.files?.[0])} />
            {T.caFile[lang]}
          </label>
          <button type="button" data-testid="ca-clear" disabled={caText === ''} onClick={() => setCaText('')}>
            {T.caClear[lang]}
          </button>
        </div>
        <span className="hint">{T.caHint[lang]}</span>
        {reading.state === 'checking' && <p className="hint">{T.caChecking[lang]}</p>}
        {reading.state === 'refused' && <ErrorLine message={reading.message} testId="ca-error" />}
        {reading.state === 'read' && <CaDescription certificates={reading.certificates} lang={lang} />}
      </fieldset>

      <fieldset className="trust-part">
        <legend>{T.pinTitle[lang]}</legend>
        <div className="row" role="radiogroup" aria-label={T.pinTitle[lang]}>
          {(['off', 'enrolment', 'typed'] as const).map((mode) => (
            <label className="inline" key={mode}>
              <input type="radio" name="pin-mode" data-testid={`pin-${mode}`} checked={pinMode === mode} onChange={() => setPinMode(mode)} />
              {T[`pin_${mode}`][lang]}
            </label>
          ))}
        </div>
        {pinMode === 'typed' && (
          <label>
            {T.pinTyped[lang]}
            <input data-testid="pin-typed-value" type="text" autoComplete="off" spellCheck={false} value={typedPin} onChange={(e) => setTypedPin(e.target.value)} />
          </label>
        )}
        <ErrorLine message={pinError} testId="pin-error" />
        <span className="hint">{T.pinHint[lang]}</span>
        <RecordedPin trust={trust} wanted={settings.centre.pin === 'enrolment'} lang={lang} />
      </fieldset>

      <SaveBar outcome={outcome} busy={busy || reading.state === 'checking'} lang={lang} testId="trust" />
    </form>
  );
}

function CaDescription({ certificates, lang }: { certificates: CaCertificateInfo[]; lang: Lang }) {
  const day = (iso: string) => iso.replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC');
  return (
    <div data-testid="ca-info">
      {certificates.map((c, i) => (
        <dl className={`ca-cert ca-${c.dates}`} key={`${c.pin}-${i}`} data-dates={c.dates}>
          <div>
            <dt>{T.caSubject[lang]}</dt>
            <dd data-testid="ca-subject">{c.subject}</dd>
          </div>
          <div>
            <dt>{T.caIssuer[lang]}</dt>
            <dd>{c.issuer}</dd>
          </div>
          <div>
            <dt>{T.caValid[lang]}</dt>
            <dd data-testid="ca-dates">
              {day(c.validFrom)} — {day(c.validTo)} <strong>{T[`dates_${c.dates}`][lang]}</strong>
            </dd>
          </div>
          <div>
            <dt>{T.caKind[lang]}</dt>
            <dd>{c.isAuthority ? T.caAuthority[lang] : <strong>{T.caNotAuthority[lang]}</strong>}</dd>
          </div>
        </dl>
      ))}
      <p className="hint">{fill(T.caToSave[lang], { n: certificates.length })}</p>
    </div>
  );
}

/** `wanted`: the saved setting asks for the key recorded at enrolment. */
function RecordedPin({ trust, wanted, lang }: { trust: CentreTrustState | null; wanted: boolean; lang: Lang }) {
  if (!trust) return null;
  if (trust.recordedPin) {
    return (
      <p className="recorded-pin">
        {T.pinRecorded[lang]}
        <code data-testid="recorded-pin" data-pin={trust.recordedPin}>
          {groupedPin(trust.recordedPin)}
        </code>
      </p>
    );
  }
  if (!wanted) return null;
  return (
    <p className="hint" data-testid="recorded-pin-none">
      {trust.enrolledUrl ? T.pinNotRecorded[lang] : T.pinNotYet[lang]}
    </p>
  );
}
