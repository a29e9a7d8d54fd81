/**
 * Opens a case: service item (required), 办件编号 and queue ticket (optional); or from one of
 * today's appointments (预约服务), which gives the item and links the case to the appointment.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { CordialApi, ServiceItem, WindowAppointmentEntry } from '../../shared/api';
import type { KioskError } from '../../shared/contract';
import type { Lang } from '../common/lang';
import { refusalText } from '../common/refusal-words';
import { Appointments } from './Appointments';
import { ErrorLine } from './ErrorLine';
import { ItemPicker, itemKey } from './ItemPicker';
import { STAFF_TEXT as T } from './strings';
import { useCommand } from './useCommand';

export function OpenCaseForm({ api, lang, refreshKey }: { api: CordialApi; lang: Lang; refreshKey?: unknown }) {
  const command = useCommand(api, lang);
  const [items, setItems] = useState<ServiceItem[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [caseNo, setCaseNo] = useState('');
  const [ticketNo, setTicketNo] = useState('');
  const [loadError, setLoadError] = useState<KioskError | null>(null);

  useEffect(() => {
    void api.items().then((r) => {
      if (r.ok) setItems(r.result);
      else setLoadError(r.error);
    });
  }, [api]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const item = items.find((i) => itemKey(i) === chosen);
    if (!item) return command.setError(T.chooseItem);
    const ok = await command.run({
      type: 'openCase',
      itemCode: item.itemCode,
      itemVersion: item.itemVersion,
      ...(caseNo.trim() ? { caseNo: caseNo.trim() } : {}),
      ...(ticketNo.trim() ? { ticketNo: ticketNo.trim() } : {}),
    });
    if (ok) {
      setCaseNo('');
      setTicketNo('');
      setChosen(null);
    }
  };

  const openFrom = async (a: WindowAppointmentEntry) => {
    const item = items.filter((i) => i.itemCode === a.itemCode).at(-1);
    const ok = await command.run({
      type: 'openCase',
      itemCode: a.itemCode,
      ...(item ? { itemVersion: item.itemVersion } : {}),
      appointmentId: a.id,
      ...(caseNo.trim() ? { caseNo: caseNo.trim() } : {}),
      ...(ticketNo.trim() ? { ticketNo: ticketNo.trim() } : {}),
    });
    if (ok) {
      setCaseNo('');
      setTicketNo('');
      setChosen(null);
    }
  };

  return (
    <form className="open-case" onSubmit={submit} aria-labelledby="open-case-title">
      <h2 id="open-case-title">{T.openCaseTitle[lang]}</h2>
      <Appointments api={api} lang={lang} refreshKey={refreshKey} busy={command.busy} onOpen={(a) => void openFrom(a)} />
      <ItemPicker items={items} chosen={chosen} onChoose={setChosen} lang={lang} />
      <div className="row">
        <label>
          {T.caseNo[lang]}
          <input data-testid="case-no" autoComplete="off" value={caseNo} onChange={(e) => setCaseNo(e.target.value)} />
        </label>
        <label>
          {T.ticketNo[lang]}
          <input data-testid="ticket-no" autoComplete="off" value={ticketNo} onChange={(e) => setTicketNo(e.target.value)} />
        </label>
      </div>
      <ErrorLine message={loadError && refusalText(loadError, lang)} testId="items-error" />
      <ErrorLine message={command.error} testId="open-case-error" />
      <button type="submit" className="primary" data-testid="open-case" disabled={command.busy}>
        {T.openCase[lang]}
      </button>
    </form>
  );
}
