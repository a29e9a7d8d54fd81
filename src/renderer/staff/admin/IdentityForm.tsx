/** Terminal and window identity: what every record and the citizen badge say about this window. */
import { useState, type FormEvent } from 'react';
import type { AdminSettings } from '../../../shared/config';
import type { Lang } from '../../common/lang';
import { orNull } from './checkSettings';
import { SaveBar } from './SaveBar';
import { ADMIN_TEXT as T } from './strings';
import { useSave, type SaveSettings } from './useSave';

export function IdentityForm({ settings, terminalId, save, lang }: { settings: AdminSettings; terminalId: string; save: SaveSettings; lang: Lang }) {
  const { outcome, busy, submit } = useSave(save);
  const [windowNo, setWindowNo] = useState(settings.window.windowNo);
  const [departmentCode, setDepartmentCode] = useState(settings.window.departmentCode ?? '');
  const [departmentName, setDepartmentName] = useState(settings.window.departmentName ?? '');
  const [areaCode, setAreaCode] = useState(settings.window.areaCode ?? '');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit({
      ...settings,
      window: { windowNo: windowNo.trim(), departmentCode: orNull(departmentCode), departmentName: orNull(departmentName), areaCode: orNull(areaCode) },
    });
  };

  return (
    <form className="admin-form" onSubmit={onSubmit}>
      <label>
        {T.terminalId[lang]}
        <input value={terminalId} readOnly data-testid="terminal-id" />
      </label>
      <label>
        {T.windowNo[lang]}
        <input data-testid="window-no-input" value={windowNo} onChange={(e) => setWindowNo(e.target.value)} />
      </label>
      <label>
        {T.departmentCode[lang]}
        <input value={departmentCode} onChange={(e) => setDepartmentCode(e.target.value)} />
      </label>
      <label>
        {T.departmentName[lang]}
        <input value={departmentName} onChange={(e) => setDepartmentName(e.target.value)} />
      </label>
      <label>
        {T.areaCode[lang]}
        <input data-testid="area-code-input" inputMode="numeric" value={areaCode} onChange={(e) => setAreaCode(e.target.value)} />
      </label>
      <SaveBar outcome={outcome} busy={busy} lang={lang} testId="identity" />
    </form>
  );
}
