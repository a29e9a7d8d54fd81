/**
 * 个人信息: an admin carries out a citizen's request to delete their callback phone: the
 * number is erased everywhere the centre holds it and the windows that sent it are told
 * (docs/data-protection.md). Below, every erasure, the retention sweep's too, with how many
 * appointments it reached and the windows that have confirmed theirs.
 */
import { useState, type FormEvent } from 'react';
import { ErasePhoneBody, PRIVACY_ROUTES, type PhoneErasureRow } from '../../../../../src/shared/console/privacy-contract';
import { build, call } from '../../api';
import { formatters, useStrings } from '../../i18n';
import { checkingPhone } from '../../refusals/registers';
import { sentence, useLoad } from '../../session';
import './privacy.css';

const zh = {
  title: '个人信息',
  lead: '回访电话在中心加密保存，回访记录办结后按保留天数自动删除。群众要求删除时，在此输入其号码：中心删除所有记录中的该号码，并通知上传过它的窗口删除。',
  phone: '群众的手机号或座机号',
  confirm: '已核实申请人身份',
  erase: '删除该号码',
  erasing: '正在删除…',
  done: (r: PhoneErasureRow) =>
    r.followUps + r.cases + r.records + (r.appointments ?? 0) === 0
      ? `中心未保存号码 ${r.phoneMasked ?? ''}，已记录本次申请。`
      : `已删除 ${r.phoneMasked ?? ''}：回访记录 ${r.followUps} 条、办件 ${r.cases} 条、原始记录 ${r.records} 条、预约 ${r.appointments ?? 0} 条；已通知 ${r.terminals.length} 个窗口。`,
  history: '删除记录',
  empty: '还没有删除过号码。',
  at: '时间',
  reason: '原因',
  reasons: { retention: '保留期满', citizen_request: '群众申请' },
  by: '操作人',
  number: '号码',
  held: '删除条数（回访/办件/记录）',
  appointments: '预约',
  uncounted: '未计数',
  uncountedTitle: '此次删除早于预约计数：预约中的号码已一并删除，但条数未记录。',
  windows: '通知窗口',
  window: (terminalId: string, erased: boolean) => `${terminalId}（${erased ? '已删除' : '待窗口删除'}）`,
  list: (items: string[]) => items.join('，'),
  none: '—',
};
const en: typeof zh = {
  title: 'Personal data',
  lead: "Callback phones are kept encrypted at the centre and erased automatically once their follow-up record has been closed for the retention days. When a citizen asks for theirs to be deleted, enter the number here: the centre erases it from every record and tells the windows that sent it to erase it too.",
  phone: "The citizen's mobile or landline number",
  confirm: "I have checked the requester's identity",
  erase: 'Erase this number',
  erasing: 'Erasing…',
  done: (r) =>
    r.followUps + r.cases + r.records + (r.appointments ?? 0) === 0
      ? `The centre holds no ${r.phoneMasked ?? ''}; the request is recorded.`
      : `Erased ${r.phoneMasked ?? ''}: ${r.followUps} follow-up records, ${r.cases} cases, ${r.records} records, ${r.appointments ?? 0} appointments; ${r.terminals.length} windows told.`,
  history: 'Erasures',
  empty: 'No number has been erased yet.',
  at: 'When',
  reason: 'Why',
  reasons: { retention: 'Retention ended', citizen_request: "Citizen's request" },
  by: 'By',
  number: 'Number',
  held: 'Erased from (follow-ups/cases/records)',
  appointments: 'Appointments',
  uncounted: 'not counted',
  uncountedTitle: 'This erasure predates the count: the number was erased from appointments too, but how many was not recorded.',
  windows: 'Windows told',
  window: (terminalId, erased) => `${terminalId} (${erased ? 'erased' : 'not yet'})`,
  list: (items) => items.join(', '),
  none: '—',
};
const STRINGS = { zh, en };

export function PrivacyPage() {
  const frame = useStrings();
  const p = STRINGS[frame.language];
  const f = formatters(frame.language);
  const [round, setRound] = useState(0);
  const list = useLoad(`phone-erasures-${round}`, () => call<{ erasures: PhoneErasureRow[] }>('GET', PRIVACY_ROUTES.phoneErasures));
  const [phone, setPhone] = useState('');
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setNotice(null);
    try {
      const row = await call<PhoneErasureRow>('POST', PRIVACY_ROUTES.phoneErasures, { body: checkingPhone('privacy.phone_invalid', () => build(ErasePhoneBody, { phone })) });
      setNotice({ ok: true, text: p.done(row) });
      setPhone('');
      setChecked(false);
      setRound((n) => n + 1);
    } catch (err) {
      setNotice({ ok: false, text: sentence(frame.t, err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page privacy">
      <h1>{p.title}</h1>
      <p className="lead">{p.lead}</p>
      <form onSubmit={(e) => void submit(e)} data-testid="erase-phone">
        <label>
          {p.phone}
          <input type="tel" autoComplete="off" value={phone} onChange={(e) => setPhone(e.target.value)} required />
        </label>
        <label>
          <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
          {p.confirm}
        </label>
        <button type="submit" disabled={busy || !checked || phone.trim() === ''}>{busy ? p.erasing : p.erase}</button>
      </form>
      {notice ? <p className={notice.ok ? 'notice' : 'error'} role={notice.ok ? 'status' : 'alert'} data-testid="erase-notice">{notice.text}</p> : null}
      <h2>{p.history}</h2>
      {list.error ? <p className="error" role="alert">{list.error}</p> : null}
      {list.data && list.data.erasures.length === 0 ? <p className="empty">{p.empty}</p> : null}
      {list.data && list.data.erasures.length > 0 ? (
        <table data-testid="phone-erasures">
          <thead>
            <tr><th>{p.at}</th><th>{p.reason}</th><th>{p.by}</th><th>{p.number}</th><th>{p.held}</th><th>{p.appointments}</th><th>{p.windows}</th></tr>
          </thead>
          <tbody>
            {list.data.erasures.map((r) => (
              <tr key={r.id} data-erasure={r.id}>
                <td className="nowrap">{f.time(r.at)}</td>
                <td>{p.reasons[r.reason]}</td>
                <td>{r.by}</td>
                <td>{r.phoneMasked ?? p.none}</td>
                <td>{`${r.followUps} / ${r.cases} / ${r.records}`}</td>
                <td data-testid="erasure-appointments" title={r.appointments === null ? p.uncountedTitle : undefined}>{r.appointments ?? p.uncounted}</td>
                <td>{r.terminals.length === 0 ? p.none : p.list(r.terminals.map((w) => p.window(w.terminalId, w.delivered)))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
