/**
 * The 一次告知 slip's printing: on or off, the printer (Electron lists this PC's printers; the
 * browser shell uses the browser's print dialog), the paper, and the centre's name at its head.
 * Saved with the kiosk's other settings.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { AdminSettings } from '../../../shared/config';
import { SLIP_LAYOUTS, type PrinterInfo, type SlipLayout } from '../../../shared/slip';
import type { Lang } from '../../common/lang';
import { SLIP_TEXT as S } from '../slip/slip-strings';
import { orNull } from './checkSettings';
import { SaveBar } from './SaveBar';
import { useSave, type SaveSettings } from './useSave';

type Printers = { kind: 'browser' } | { kind: 'loading' } | { kind: 'listed'; printers: PrinterInfo[] } | { kind: 'failed' };

export function SlipPrintForm({ settings, save, lang }: { settings: AdminSettings; save: SaveSettings; lang: Lang }) {
  const { outcome, busy, submit } = useSave(save);
  const [print, setPrint] = useState(settings.slip.print);
  const [printer, setPrinter] = useState(settings.slip.printer ?? '');
  const [layout, setLayout] = useState<SlipLayout>(settings.slip.layout);
  const [centreName, setCentreName] = useState(settings.slip.centreName ?? '');
  const [printers, setPrinters] = useState<Printers>(() => (window.cordialPrinting ? { kind: 'loading' } : { kind: 'browser' }));
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const bridge = window.cordialPrinting;
    if (!bridge) return;
    let live = true;
    bridge.printers().then(
      (r) => live && setPrinters(r.ok ? { kind: 'listed', printers: r.result } : { kind: 'failed' }),
      () => live && setPrinters({ kind: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, []);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const heading = orNull(centreName);
    if (heading !== null && heading.length > 60) return setProblem(S.adminCentreNameLong[lang]);
    setProblem(null);
    void submit({ ...settings, slip: { print, printer: orNull(printer), layout, centreName: heading } });
  };

  const listed = printers.kind === 'listed' ? printers.printers : [];
  const savedMissing = printer !== '' && printers.kind === 'listed' && !listed.some((p) => p.name === printer);

  return (
    <form className="admin-form slip-print-form" onSubmit={onSubmit} data-testid="slip-print-form">
      <h3>{S.adminTitle[lang]}</h3>
      <label className="inline">
        <input type="checkbox" data-testid="slip-print-on" checked={print} onChange={(e) => setPrint(e.target.checked)} />
        {S.adminPrint[lang]}
      </label>
      {printers.kind === 'browser' ? (
        <p className="hint" data-testid="slip-browser-printing">
          {S.adminBrowser[lang]}
        </p>
      ) : (
        <label>
          {S.adminPrinter[lang]}
          <select data-testid="slip-printer" value={printer} disabled={!print} onChange={(e) => setPrinter(e.target.value)}>
            <option value="">{S.adminDefaultPrinter[lang]}</option>
            {listed.map((p) => (
              <option key={p.name} value={p.name}>
                {p.displayName}
              </option>
            ))}
            {savedMissing && (
              <option value={printer}>
                {printer} {S.adminNotFound[lang]}
              </option>
            )}
          </select>
          {printers.kind === 'listed' && listed.length === 0 && <span className="hint">{S.adminNoPrinters[lang]}</span>}
          {printers.kind === 'failed' && <span className="hint">{S.adminListFailed[lang]}</span>}
        </label>
      )}
      <fieldset className="slip-layouts">
        <legend>{S.adminLayout[lang]}</legend>
        {SLIP_LAYOUTS.map((l) => (
          <label key={l} className="inline">
            <input type="radio" name="slip-layout" value={l} data-testid={`slip-layout-${l}`} checked={layout === l} disabled={!print} onChange={() => setLayout(l)} />
            {S[`layout_${l}`][lang]}
          </label>
        ))}
      </fieldset>
      <label>
        {S.adminCentreName[lang]}
        <input data-testid="slip-centre-name" value={centreName} onChange={(e) => setCentreName(e.target.value)} />
        <span className="hint">{S.adminCentreNameHint[lang]}</span>
      </label>
      {problem && (
        <p className="error" role="alert" data-testid="slip-settings-error">
          {problem}
        </p>
      )}
      <SaveBar outcome={outcome} busy={busy} lang={lang} testId="slip" />
    </form>
  );
}
