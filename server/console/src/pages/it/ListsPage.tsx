/**
 * 名单 (admin): staff with photos, service items, reason codes, referral targets (首问负责)
 * and window settings, each saved one row at a time.
 */
import { useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import type { ItemRow } from '../../../../../src/shared/console/it-contract';
import { REFERRAL_KINDS, type ReferralKind } from '../../../../../src/shared/domain';
import { hrefOf, Link, usePlace } from '../../router';
import { sentence, useLoad } from '../../session';
import { itApi } from './it-api';
import { resizePhoto } from './photo-resize';
import { ServiceInfoEditor, ServiceInfoSummary, useServiceInfoWords } from './ServiceInfoEditor';
import { useItStrings } from './strings';
import './it.css';

const TABS = ['staff', 'items', 'reasons', 'referrals', 'windows'] as const;
type Tab = (typeof TABS)[number];

type Notice = { ok: boolean; text: string } | null;
type Fields = Record<string, string | boolean>;

export function ListsPage() {
  const { it } = useItStrings();
  const place = usePlace();
  const asked = place.query.get('tab');
  const tab: Tab = (TABS as readonly string[]).includes(asked ?? '') ? (asked as Tab) : 'staff';
  const [notice, setNotice] = useState<Notice>(null);
  return (
    <section className="page it">
      <h1>{it.lists.title}</h1>
      <nav className="tabs">
        {TABS.map((name) => <Link key={name} className="chip" href={hrefOf('/lists', { tab: name })} aria-current={name === tab ? 'page' : undefined}>{it.lists[name]}</Link>)}
      </nav>
      {notice ? <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'} data-testid="notice">{notice.text}</p> : null}
      {tab === 'staff' ? <StaffTab onNotice={setNotice} /> : null}
      {tab === 'items' ? <ItemsTab onNotice={setNotice} /> : null}
      {tab === 'reasons' ? <ReasonsTab onNotice={setNotice} /> : null}
      {tab === 'referrals' ? <ReferralsTab onNotice={setNotice} /> : null}
      {tab === 'windows' ? <WindowsTab onNotice={setNotice} /> : null}
    </section>
  );
}

/** One row's form: text fields, checkboxes, and a submit that saves the row. */
function RowForm({ label, fields, values, onChange, onSubmit, children }: { label: string; fields: [string, string, 'text' | 'number' | 'check'][]; values: Fields; onChange(v: Fields): void; onSubmit(): void; children?: ReactNode }) {
  const { it } = useItStrings();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="row-form" onSubmit={submit} aria-label={label}>
      {fields.map(([name, title, kind]) =>
        kind === 'check' ? (
          <label key={name} className="toggle"><input type="checkbox" name={name} checked={values[name] === true} onChange={(e) => onChange({ ...values, [name]: e.target.checked })} />{title}</label>
        ) : (
          <label key={name}>{title}<input name={name} type={kind} value={String(values[name] ?? '')} onChange={(e) => onChange({ ...values, [name]: e.target.value })} /></label>
        ),
      )}
      <button type="submit" className="primary">{it.lists.save}</button>
      {children}
    </form>
  );
}

const text = (v: string | boolean | undefined) => (typeof v === 'string' ? v.trim() : '');
const orNull = (v: string | boolean | undefined) => text(v) || null;
const numberOrNull = (v: string | boolean | undefined) => (text(v) === '' ? null : Number(text(v)));

function StaffTab({ onNotice }: { onNotice(n: Notice): void }) {
  const { t, it } = useItStrings();
  const staff = useLoad('it-staff', () => itApi.staff());
  const blank: Fields = { staffNo: '', name: '', departmentCode: '', departmentName: '', badges: '', active: true };
  const [form, setForm] = useState<Fields>(blank);
  // A new photo gets a new address, so the thumbnail is fetched again.
  const [photoVersion, setPhotoVersion] = useState(0);
  const failed = (err: unknown) => onNotice({ ok: false, text: sentence(t, err) });
  const save = () =>
    itApi
      .saveStaff(text(form.staffNo), { name: text(form.name), departmentCode: orNull(form.departmentCode), departmentName: orNull(form.departmentName), badgeIds: text(form.badges).split(/[,，\s]+/).filter(Boolean), active: form.active === true })
      .then((row) => {
        onNotice({ ok: true, text: it.lists.saved(`${row.staffNo} ${row.name}`) });
        staff.reload();
      }, failed);
  const upload = async (staffNo: string, name: string, event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const resized = await resizePhoto(file);
    if (!resized.ok) {
      onNotice({ ok: false, text: resized.reason === 'file-too-big' ? it.lists.fileTooBig(Math.round(file.size / 1024 / 1024)) : it.lists.notAPicture });
      return;
    }
    itApi.savePhoto(staffNo, resized.dataUrl).then(() => {
      onNotice({ ok: true, text: it.lists.photoSaved(name, Math.ceil(resized.bytes / 1024)) });
      setPhotoVersion((v) => v + 1);
      staff.reload();
    }, failed);
  };
  return (
    <>
      <RowForm label={it.lists.staff} values={form} onChange={setForm} onSubmit={() => void save()}
        fields={[['staffNo', it.lists.staffNo, 'text'], ['name', it.lists.name, 'text'], ['departmentCode', it.lists.departmentCode, 'text'], ['departmentName', it.lists.departmentName, 'text'], ['badges', it.lists.badges, 'text'], ['active', it.lists.active, 'check']]} />
      {staff.error ? <p className="error" role="alert">{staff.error}</p> : null}
      {staff.data ? (
        <table data-testid="staff">
          <thead><tr><th>{it.lists.staffNo}</th><th>{it.lists.name}</th><th>{it.lists.departmentName}</th><th>{it.lists.badges}</th><th>{it.lists.active}</th><th>{it.lists.photo}</th><th /></tr></thead>
          <tbody>
            {staff.data.staff.map((s) => (
              <tr key={s.staffNo} data-staff={s.staffNo} className={s.active ? undefined : 'disabled'}>
                <td>{s.staffNo}</td><td>{s.name}</td><td>{s.departmentName ?? s.departmentCode ?? ''}</td><td>{s.badgeIds.join(', ')}</td>
                <td>{s.active ? '✓' : ''}</td>
                <td>{s.hasPhoto ? <img className="thumb" alt={s.name} src={`/v1/console/lists/staff/${encodeURIComponent(s.staffNo)}/photo?v=${photoVersion}`} /> : it.lists.noPhoto}</td>
                <td className="actions">
                  <button type="button" onClick={() => setForm({ staffNo: s.staffNo, name: s.name, departmentCode: s.departmentCode ?? '', departmentName: s.departmentName ?? '', badges: s.badgeIds.join(', '), active: s.active })}>{it.lists.edit}</button>
                  <label className="upload">{it.lists.upload}<input type="file" name={`photo-${s.staffNo}`} accept="image/jpeg,image/png,image/webp" onChange={(e) => void upload(s.staffNo, s.name, e)} /></label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function ItemsTab({ onNotice }: { onNotice(n: Notice): void }) {
  const { t, it } = useItStrings();
  const infoWords = useServiceInfoWords();
  const [infoOf, setInfoOf] = useState<ItemRow | null>(null);
  const items = useLoad('it-items', () => itApi.items());
  const [form, setForm] = useState<Fields>({ itemCode: '', itemVersion: '1', name: '', departmentCode: '', departmentName: '', active: true });
  const save = () =>
    itApi.saveItem(text(form.itemCode), text(form.itemVersion), { name: text(form.name), departmentCode: orNull(form.departmentCode), departmentName: orNull(form.departmentName), active: form.active === true }).then((row) => {
      onNotice({ ok: true, text: it.lists.saved(`${row.itemCode} ${row.name}`) });
      items.reload();
    }, (err: unknown) => onNotice({ ok: false, text: sentence(t, err) }));
  return (
    <>
      <RowForm label={it.lists.items} values={form} onChange={setForm} onSubmit={() => void save()}
        fields={[['itemCode', it.lists.itemCode, 'text'], ['itemVersion', it.lists.version, 'text'], ['name', it.lists.itemName, 'text'], ['departmentCode', it.lists.departmentCode, 'text'], ['departmentName', it.lists.departmentName, 'text'], ['active', it.lists.active, 'check']]} />
      {infoOf ? (
        <ServiceInfoEditor
          key={`${infoOf.itemCode}@${infoOf.itemVersion}`}
          item={infoOf}
          onClose={() => setInfoOf(null)}
          onFailed={(text) => onNotice({ ok: false, text })}
          onSaved={(text) => {
            onNotice({ ok: true, text });
            setInfoOf(null);
            items.reload();
          }}
        />
      ) : null}
      {items.data ? (
        <table data-testid="items">
          <thead><tr><th>{it.lists.itemCode}</th><th>{it.lists.version}</th><th>{it.lists.itemName}</th><th>{it.lists.departmentName}</th><th>{it.lists.active}</th><th>{infoWords.column}</th><th /></tr></thead>
          <tbody>
            {items.data.items.map((i) => (
              <tr key={`${i.itemCode}@${i.itemVersion}`} data-item={`${i.itemCode}@${i.itemVersion}`} className={i.active ? undefined : 'disabled'}>
                <td>{i.itemCode}</td><td>{i.itemVersion}</td><td>{i.name}</td><td>{i.departmentName ?? ''}</td><td>{i.active ? '✓' : ''}</td>
                <td><ServiceInfoSummary info={i.serviceInfo} /></td>
                <td className="actions">
                  <button type="button" onClick={() => setForm({ itemCode: i.itemCode, itemVersion: i.itemVersion, name: i.name, departmentCode: i.departmentCode ?? '', departmentName: i.departmentName ?? '', active: i.active })}>{it.lists.edit}</button>
                  <button type="button" data-testid="edit-service-info" onClick={() => setInfoOf(i)}>{infoWords.edit}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function ReasonsTab({ onNotice }: { onNotice(n: Notice): void }) {
  const { t, it } = useItStrings();
  const reasons = useLoad('it-reasons', () => itApi.reasons());
  const [form, setForm] = useState<Fields>({ code: '', labelZh: '', labelEn: '', sort: '0' });
  const failed = (err: unknown) => onNotice({ ok: false, text: sentence(t, err) });
  const save = () =>
    itApi.saveReason(text(form.code), { labelZh: text(form.labelZh), labelEn: text(form.labelEn), sort: Number(text(form.sort) || 0) }).then((row) => {
      onNotice({ ok: true, text: it.lists.saved(`${row.code} ${row.labelZh}`) });
      reasons.reload();
    }, failed);
  return (
    <>
      <RowForm label={it.lists.reasons} values={form} onChange={setForm} onSubmit={() => void save()}
        fields={[['code', it.lists.code, 'text'], ['labelZh', it.lists.labelZh, 'text'], ['labelEn', it.lists.labelEn, 'text'], ['sort', it.lists.sort, 'number']]} />
      {reasons.data ? (
        <table data-testid="reasons">
          <thead><tr><th>{it.lists.code}</th><th>{it.lists.labelZh}</th><th>{it.lists.labelEn}</th><th>{it.lists.sort}</th><th /></tr></thead>
          <tbody>
            {reasons.data.reasons.map((r) => (
              <tr key={r.code}>
                <td>{r.code}</td><td>{r.labelZh}</td><td>{r.labelEn}</td><td>{r.sort}</td>
                <td className="actions">
                  <button type="button" onClick={() => setForm({ code: r.code, labelZh: r.labelZh, labelEn: r.labelEn, sort: String(r.sort) })}>{it.lists.edit}</button>
                  <button type="button" onClick={() => itApi.removeReason(r.code).then(() => reasons.reload(), failed)}>{it.lists.remove}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/** Where staff may send a citizen: the windows get the list with their config. */
function ReferralsTab({ onNotice }: { onNotice(n: Notice): void }) {
  const { t, it } = useItStrings();
  const targets = useLoad('it-referral-targets', () => itApi.referralTargets());
  const [form, setForm] = useState<Fields>({ code: '', name: '', sort: '0' });
  const [kind, setKind] = useState<ReferralKind>('department');
  const failed = (err: unknown) => onNotice({ ok: false, text: sentence(t, err) });
  const save = () =>
    itApi.saveReferralTarget(text(form.code), { name: text(form.name), kind, sort: Number(text(form.sort) || 0) }).then((row) => {
      onNotice({ ok: true, text: it.lists.saved(`${row.code} ${row.name}`) });
      targets.reload();
    }, failed);
  return (
    <>
      <RowForm label={it.lists.referrals} values={form} onChange={setForm} onSubmit={() => void save()}
        fields={[['code', it.lists.code, 'text'], ['name', it.lists.referralName, 'text'], ['sort', it.lists.sort, 'number']]}>
        <label>
          {it.lists.referralKind}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as ReferralKind)}>
            {REFERRAL_KINDS.map((k) => <option key={k} value={k}>{it.lists.referralKinds[k]}</option>)}
          </select>
        </label>
      </RowForm>
      {targets.data ? (
        <table data-testid="referral-targets">
          <thead><tr><th>{it.lists.code}</th><th>{it.lists.referralName}</th><th>{it.lists.referralKind}</th><th>{it.lists.sort}</th><th /></tr></thead>
          <tbody>
            {targets.data.targets.map((r) => (
              <tr key={r.code}>
                <td>{r.code}</td><td>{r.name}</td><td>{it.lists.referralKinds[r.kind]}</td><td>{r.sort}</td>
                <td className="actions">
                  <button type="button" onClick={() => { setForm({ code: r.code, name: r.name, sort: String(r.sort) }); setKind(r.kind); }}>{it.lists.edit}</button>
                  <button type="button" onClick={() => itApi.removeReferralTarget(r.code).then(() => targets.reload(), failed)}>{it.lists.remove}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function WindowsTab({ onNotice }: { onNotice(n: Notice): void }) {
  const { t, it } = useItStrings();
  const windows = useLoad('it-windows', () => itApi.windows());
  const blank: Fields = { windowNo: '', departmentCode: '', departmentName: '', areaCode: '', closingTime: '', ratingWindowSeconds: '', detailsSeconds: '' };
  const [form, setForm] = useState<Fields>(blank);
  const save = () =>
    itApi
      .saveWindow(text(form.windowNo), {
        departmentCode: orNull(form.departmentCode),
        departmentName: orNull(form.departmentName),
        areaCode: orNull(form.areaCode),
        closingTime: orNull(form.closingTime),
        ratingWindowSeconds: numberOrNull(form.ratingWindowSeconds),
        detailsSeconds: numberOrNull(form.detailsSeconds),
      })
      .then((row) => {
        onNotice({ ok: true, text: it.lists.saved(`${it.lists.windowNo} ${row.windowNo}`) });
        windows.reload();
      }, (err: unknown) => onNotice({ ok: false, text: sentence(t, err) }));
  return (
    <>
      <RowForm label={it.lists.windows} values={form} onChange={setForm} onSubmit={() => void save()}
        fields={[['windowNo', it.lists.windowNo, 'text'], ['departmentCode', it.lists.departmentCode, 'text'], ['departmentName', it.lists.departmentName, 'text'], ['areaCode', it.lists.areaCode, 'text'], ['closingTime', it.lists.closingTime, 'text'], ['ratingWindowSeconds', it.lists.ratingSeconds, 'number'], ['detailsSeconds', it.lists.detailsSeconds, 'number']]} />
      {windows.data ? (
        <table data-testid="window-settings">
          <thead><tr><th>{it.lists.windowNo}</th><th>{it.lists.departmentName}</th><th>{it.lists.areaCode}</th><th>{it.lists.closingTime}</th><th>{it.lists.ratingSeconds}</th><th>{it.lists.detailsSeconds}</th><th>{it.lists.terminalsCount}</th><th /></tr></thead>
          <tbody>
            {windows.data.windows.map((w) => (
              <tr key={w.windowNo}>
                <td>{w.windowNo}</td><td>{w.departmentName ?? w.departmentCode ?? ''}</td><td>{w.areaCode ?? ''}</td><td>{w.closingTime ?? ''}</td>
                <td>{w.ratingWindowSeconds ?? ''}</td><td>{w.detailsSeconds ?? ''}</td><td>{w.terminals}</td>
                <td><button type="button" onClick={() => setForm({ windowNo: w.windowNo, departmentCode: w.departmentCode ?? '', departmentName: w.departmentName ?? '', areaCode: w.areaCode ?? '', closingTime: w.closingTime ?? '', ratingWindowSeconds: String(w.ratingWindowSeconds ?? ''), detailsSeconds: String(w.detailsSeconds ?? '') })}>{it.lists.edit}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
