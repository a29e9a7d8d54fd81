/** The rating keypad: driver, port (discovered or typed), baud rate and key map. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { CordialApi, SerialPortInfo } from '../../../shared/api';
import type { AdminSettings } from '../../../shared/config';
import type { Lang } from '../../common/lang';
import { problemText, type Problem } from '../../common/refusal-words';
import { ErrorLine } from '../ErrorLine';
import { KeyMapEditor, type KeyMapDraft } from './KeyMapEditor';
import { SaveBar } from './SaveBar';
import { ADMIN_TEXT as T } from './strings';
import { useSave, type SaveSettings } from './useSave';

const BAUD_RATES = [9600, 19200, 38400, 57600, 115200];
const AUTO = '';
const TYPED = '::typed';

interface Props {
  api: CordialApi;
  token: string;
  settings: AdminSettings;
  save: SaveSettings;
  lang: Lang;
}

export function KeypadForm({ api, token, settings, save, lang }: Props) {
  const { outcome, busy, submit } = useSave(save);
  const [ports, setPorts] = useState<SerialPortInfo[]>([]);
  const [portsError, setPortsError] = useState<Problem>(null);
  const [driver, setDriver] = useState(settings.keypad.driver);
  const [choice, setChoice] = useState(settings.keypad.path === null ? AUTO : TYPED);
  const [typed, setTyped] = useState(settings.keypad.path ?? '');
  const [baudRate, setBaudRate] = useState(String(settings.keypad.baudRate));
  const [keyMap, setKeyMap] = useState<KeyMapDraft>(settings.keyMap);

  const discover = useCallback(() => {
    void api.adminPorts({ token }).then((r) => {
      if (!r.ok) return setPortsError(r.error);
      setPortsError(null);
      setPorts(r.result);
      // A configured path that was discovered is shown as chosen from the list.
      if (settings.keypad.path && r.result.some((p) => p.path === settings.keypad.path)) setChoice((c) => (c === TYPED ? settings.keypad.path ?? TYPED : c));
    });
  }, [api, token, settings.keypad.path]);

  useEffect(discover, [discover]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const path = choice === AUTO ? null : choice === TYPED ? typed.trim() || null : choice;
    void submit({ ...settings, keyMap, keypad: { ...settings.keypad, driver, path, baudRate: Number(baudRate) } });
  };

  return (
    <form className="admin-form" onSubmit={onSubmit}>
      <label>
        {T.driver[lang]}
        <select data-testid="keypad-driver" value={driver} onChange={(e) => setDriver(e.target.value as AdminSettings['keypad']['driver'])}>
          {(['crk1', 'legacy', 'none'] as const).map((d) => (
            <option key={d} value={d}>
              {T[`driver_${d}`][lang]}
            </option>
          ))}
        </select>
      </label>
      <div className="field">
        <label htmlFor="keypad-port">{T.port[lang]}</label>
        <div className="row">
          <select id="keypad-port" data-testid="keypad-port" value={choice} onChange={(e) => setChoice(e.target.value)}>
            <option value={AUTO}>{T.portAuto[lang]}</option>
            {ports.map((p) => (
              <option key={p.path} value={p.path}>
                {p.path} — {p.description}
              </option>
            ))}
            <option value={TYPED}>{T.portTyped[lang]}</option>
          </select>
          <button type="button" onClick={discover}>
            {T.refreshPorts[lang]}
          </button>
        </div>
        {ports.length === 0 && !portsError && <p className="hint">{T.noPorts[lang]}</p>}
        <ErrorLine message={problemText(portsError, lang)} testId="ports-error" />
      </div>
      {choice === TYPED && (
        <label>
          {T.portPath[lang]}
          <input data-testid="keypad-path" autoComplete="off" placeholder="/dev/ttyUSB0, COM3" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </label>
      )}
      <label>
        {T.baudRate[lang]}
        <select data-testid="keypad-baud" value={baudRate} onChange={(e) => setBaudRate(e.target.value)}>
          {BAUD_RATES.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
      <KeyMapEditor value={keyMap} onChange={setKeyMap} lang={lang} />
      <SaveBar outcome={outcome} busy={busy} lang={lang} testId="keypad" />
    </form>
  );
}
