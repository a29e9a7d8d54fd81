/**
 * 名单 → 事项 → 服务信息: what a citizen should know about one item (办事公开, 10.7) — the
 * materials (original or copy, how many, notes), the promised time, the fees and where to ask.
 * Saved with the item's row; the windows get it with their next config pull and show it on
 * the citizen screen while a case of the item is open.
 */
import { useState, type FormEvent } from 'react';
import type { ItemRow } from '../../../../../src/shared/console/it-contract';
import { MATERIAL_FORMS, type MaterialForm, type ServiceInfo } from '../../../../../src/shared/service-info';
import { useStrings } from '../../i18n';
import { sentence } from '../../session';
import { itApi } from './it-api';

const WORDS = {
  zh: {
    title: (item: string) => `服务信息：${item}`,
    materials: '所需材料',
    name: '材料名称',
    form: '形式',
    original: '原件',
    copy: '复印件',
    count: '份数',
    notes: '备注',
    addMaterial: '添加材料',
    remove: '删除',
    promised: '承诺时限',
    none: '未设定',
    onTheSpot: '即办',
    workingDays: '个工作日',
    inWorkingDays: '按工作日承诺',
    days: '工作日数',
    fees: '收费',
    whereToAsk: '咨询方式',
    save: '保存服务信息',
    cancel: '关闭',
    saved: (item: string) => `已保存 ${item} 的服务信息，窗口下次拉取配置时生效。`,
    summary: (materials: number) => `${materials} 项材料`,
    noInfo: '未填写',
    edit: '服务信息',
    column: '服务信息',
  },
  en: {
    title: (item: string) => `Service information: ${item}`,
    materials: 'Materials to bring',
    name: 'Material',
    form: 'Form',
    original: 'Original',
    copy: 'Copy',
    count: 'Count',
    notes: 'Notes',
    addMaterial: 'Add a material',
    remove: 'Remove',
    promised: 'Promised time',
    none: 'Not set',
    onTheSpot: 'On the spot',
    workingDays: 'working days',
    inWorkingDays: 'In working days',
    days: 'Working days',
    fees: 'Fees',
    whereToAsk: 'Where to ask',
    save: 'Save service information',
    cancel: 'Close',
    saved: (item: string) => `Saved the service information of ${item}; windows take it at their next config pull.`,
    summary: (materials: number) => `${materials} materials`,
    noInfo: 'None',
    edit: 'Service information',
    column: 'Service information',
  },
};

export function useServiceInfoWords() {
  const { language } = useStrings();
  return WORDS[language];
}

/** The table cell: how many materials and the promised time, or that there is none. */
export function ServiceInfoSummary({ info }: { info: ServiceInfo | null }) {
  const w = useServiceInfoWords();
  if (!info) return <>{w.noInfo}</>;
  const time = info.promisedTime ? (info.promisedTime.kind === 'on_the_spot' ? w.onTheSpot : `${info.promisedTime.days} ${w.workingDays}`) : null;
  return <>{[w.summary(info.materials.length), time].filter(Boolean).join(' · ')}</>;
}

interface MaterialFields {
  name: string;
  form: MaterialForm;
  count: string;
  notes: string;
}

type TimeKind = 'none' | 'on_the_spot' | 'working_days';

export function ServiceInfoEditor({ item, onSaved, onClose, onFailed }: { item: ItemRow; onSaved(text: string): void; onClose(): void; onFailed(text: string): void }) {
  const w = useServiceInfoWords();
  const { t } = useStrings();
  const info = item.serviceInfo;
  const [materials, setMaterials] = useState<MaterialFields[]>(
    (info?.materials ?? []).map((m) => ({ name: m.name, form: m.form, count: String(m.count), notes: m.notes ?? '' })),
  );
  const [timeKind, setTimeKind] = useState<TimeKind>(info?.promisedTime?.kind ?? 'none');
  const [days, setDays] = useState(info?.promisedTime?.kind === 'working_days' ? String(info.promisedTime.days) : '');
  const [fees, setFees] = useState(info?.fees ?? '');
  const [whereToAsk, setWhereToAsk] = useState(info?.whereToAsk ?? '');

  const change = (i: number, patch: Partial<MaterialFields>) => setMaterials(materials.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const serviceInfo = {
      materials: materials.map((m) => ({ name: m.name, form: m.form, count: m.count.trim() === '' ? 1 : Number(m.count), notes: m.notes.trim() || null })),
      promisedTime: timeKind === 'none' ? null : timeKind === 'on_the_spot' ? { kind: 'on_the_spot' as const } : { kind: 'working_days' as const, days: days.trim() === '' ? Number.NaN : Number(days) },
      fees: fees.trim() || null,
      whereToAsk: whereToAsk.trim() || null,
    };
    const label = `${item.itemCode} ${item.name}`;
    Promise.resolve()
      .then(() => itApi.saveItem(item.itemCode, item.itemVersion, { name: item.name, departmentCode: item.departmentCode, departmentName: item.departmentName, active: item.active, serviceInfo }))
      .then(() => onSaved(w.saved(label)), (err: unknown) => onFailed(sentence(t, err)));
  };

  return (
    <form className="row-form service-info-form" aria-label={w.title(item.name)} data-testid="service-info-form" onSubmit={submit} noValidate>
      <h2>{w.title(`${item.itemCode} ${item.name}`)}</h2>
      <label>
        {w.promised}
        <select name="promised-kind" value={timeKind} onChange={(e) => setTimeKind(e.target.value as TimeKind)}>
          <option value="none">{w.none}</option>
          <option value="on_the_spot">{w.onTheSpot}</option>
          <option value="working_days">{w.inWorkingDays}</option>
        </select>
      </label>
      {timeKind === 'working_days' ? (
        <label>
          {w.days}
          <input name="promised-days" type="number" min={1} max={365} value={days} onChange={(e) => setDays(e.target.value)} />
        </label>
      ) : null}
      <label>
        {w.fees}
        <input name="fees" type="text" value={fees} onChange={(e) => setFees(e.target.value)} />
      </label>
      <label>
        {w.whereToAsk}
        <input name="where-to-ask" type="text" value={whereToAsk} onChange={(e) => setWhereToAsk(e.target.value)} />
      </label>
      <table data-testid="materials">
        <caption>{w.materials}</caption>
        <thead>
          <tr><th>{w.name}</th><th>{w.form}</th><th>{w.count}</th><th>{w.notes}</th><th /></tr>
        </thead>
        <tbody>
          {materials.map((m, i) => (
            <tr key={i}>
              <td><input name={`material-name-${i}`} aria-label={w.name} value={m.name} onChange={(e) => change(i, { name: e.target.value })} /></td>
              <td>
                <select name={`material-form-${i}`} aria-label={w.form} value={m.form} onChange={(e) => change(i, { form: e.target.value as MaterialForm })}>
                  {MATERIAL_FORMS.map((f) => <option key={f} value={f}>{w[f]}</option>)}
                </select>
              </td>
              <td><input name={`material-count-${i}`} aria-label={w.count} type="number" min={1} max={99} value={m.count} onChange={(e) => change(i, { count: e.target.value })} /></td>
              <td><input name={`material-notes-${i}`} aria-label={w.notes} value={m.notes} onChange={(e) => change(i, { notes: e.target.value })} /></td>
              <td><button type="button" onClick={() => setMaterials(materials.filter((_, j) => j !== i))}>{w.remove}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" data-testid="add-material" onClick={() => setMaterials([...materials, { name: '', form: 'original', count: '1', notes: '' }])}>{w.addMaterial}</button>
      <button type="submit" className="primary">{w.save}</button>
      <button type="button" onClick={onClose}>{w.cancel}</button>
    </form>
  );
}
