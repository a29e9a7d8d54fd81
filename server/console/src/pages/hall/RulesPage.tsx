/**
 * 监察设置 (admin): the five window rules of live supervision (a switch and a threshold each;
 * the case rule also per item) and each window's hours, pause limit and floor. Numbers are
 * checked here against the contract's own bounds, so a slip is named in a sentence before
 * anything is sent; what the centre refuses is shown the same way and nothing is lost.
 */
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { WindowRules, WindowSchedule, type ItemRow, type WindowRow } from '../../../../../src/shared/console/contract';
import { ApiError } from '../../api';
import type { Strings } from '../../i18n';
import { hrefOf, navigate, usePlace } from '../../router';
import { sentence, useLoad } from '../../session';
import { hallApi } from './hall-api';
import { useHallStrings } from './strings';
import './hall.css';

interface Bounds {
  min: number;
  max: number;
}
const boundsOf = (n: z.ZodNumber): Bounds => ({ min: n.minValue ?? 1, max: n.maxValue ?? Number.MAX_SAFE_INTEGER });
const RULE = WindowRules.shape;
/** The thresholds' bounds, read from the contract so the page and the centre agree. */
const BOUNDS = {
  notOpen: boundsOf(RULE.notOpen.shape.graceMinutes),
  longPause: boundsOf(RULE.longPause.shape.defaultLimitMinutes),
  keypadOffline: boundsOf(RULE.keypadOffline.shape.minutes),
  longCase: boundsOf(RULE.longCase.shape.defaultMinutes),
  longCaseItem: boundsOf(RULE.longCase.shape.byItem.valueType),
  terminalSilent: boundsOf(RULE.terminalSilent.shape.minutes),
  pauseLimit: boundsOf(WindowSchedule.shape.pauseLimitMinutes.unwrap()),
};
const FLOOR_MAX = WindowSchedule.shape.floor.unwrap().maxLength ?? 32;

/** A refused save in words; a session that ended elsewhere says so plainly (the typed values stay on the page). */
function refusal(t: Strings, err: unknown): string {
  return err instanceof ApiError && err.status === 401 ? t.errors.unauthorized : sentence(t, err);
}

/** A whole number of minutes inside the bounds, or null. */
function minutes(text: string, bounds: Bounds): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= bounds.min && n <= bounds.max ? n : null;
}

export function RulesPage() {
  const { hall } = useHallStrings();
  const [round, setRound] = useState(0);
  const [saved, setSaved] = useState(false);
  const rules = useLoad(`hall-rules-${round}`, () => hallApi.rules());
  const items = useLoad('hall-items', () => hallApi.items());
  const windows = useLoad('hall-windows', () => hallApi.windows());
  return (
    <section className="page hall-rules">
      <h1>{hall.rules.title}</h1>
      <p className="note">{hall.rules.lead}</p>
      {rules.error ? <p className="error" role="alert">{rules.error}</p> : null}
      {items.error ? <p className="error" role="alert">{items.error}</p> : null}
      {rules.data && items.data ? <RulesForm key={round} rules={rules.data} items={items.data.items} saved={saved} onSaved={() => { setSaved(true); setRound((n) => n + 1); }} /> : null}

      <h2>{hall.schedule.title}</h2>
      <p className="note">{hall.schedule.lead}</p>
      {windows.error ? <p className="error" role="alert">{windows.error}</p> : null}
      {windows.data ? <SchedulePicker windows={windows.data.windows} /> : null}
    </section>
  );
}

// ---------------------------------------------------------------- the rules

/** One item code once, named by its newest active version. */
function itemsByCode(rows: ItemRow[]): { code: string; name: string }[] {
  const byCode = new Map<string, ItemRow>();
  for (const row of rows) {
    const held = byCode.get(row.itemCode);
    if (!held || (row.active && !held.active) || (row.active === held.active && row.itemVersion > held.itemVersion)) byCode.set(row.itemCode, row);
  }
  return [...byCode.values()].map((r) => ({ code: r.itemCode, name: r.name })).sort((a, b) => a.code.localeCompare(b.code));
}

type Simple = 'notOpen' | 'longPause' | 'keypadOffline' | 'terminalSilent';
const SIMPLE: { key: Simple; kind: 'not_open' | 'long_pause' | 'keypad_offline' | 'terminal_silent'; field: 'graceMinutes' | 'defaultLimitMinutes' | 'minutes' }[] = [
  { key: 'notOpen', kind: 'not_open', field: 'graceMinutes' },
  { key: 'longPause', kind: 'long_pause', field: 'defaultLimitMinutes' },
  { key: 'keypadOffline', kind: 'keypad_offline', field: 'minutes' },
  { key: 'terminalSilent', kind: 'terminal_silent', field: 'minutes' },
];
const thresholdOf = (rules: WindowRules, key: Simple): number =>
  key === 'notOpen' ? rules.notOpen.graceMinutes : key === 'longPause' ? rules.longPause.defaultLimitMinutes : rules[key].minutes;

function RulesForm({ rules, items, saved, onSaved }: { rules: WindowRules; items: ItemRow[]; saved: boolean; onSaved(): void }) {
  const { t, hall } = useHallStrings();
  const [enabled, setEnabled] = useState<Record<Simple | 'longCase', boolean>>({
    notOpen: rules.notOpen.enabled,
    longPause: rules.longPause.enabled,
    keypadOffline: rules.keypadOffline.enabled,
    terminalSilent: rules.terminalSilent.enabled,
    longCase: rules.longCase.enabled,
  });
  const [values, setValues] = useState<Record<Simple, string>>(() => ({
    notOpen: String(thresholdOf(rules, 'notOpen')),
    longPause: String(thresholdOf(rules, 'longPause')),
    keypadOffline: String(thresholdOf(rules, 'keypadOffline')),
    terminalSilent: String(thresholdOf(rules, 'terminalSilent')),
  }));
  const [caseDefault, setCaseDefault] = useState(String(rules.longCase.defaultMinutes));
  const [byItem, setByItem] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(rules.longCase.byItem).map(([code, n]) => [code, String(n)])));
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const listed = itemsByCode(items);
  // An item threshold kept for a code no longer listed stays, shown by its code, so a save never drops it silently.
  const shown = [...listed, ...Object.keys(byItem).filter((code) => !listed.some((i) => i.code === code)).map((code) => ({ code, name: code }))];
  const fieldLabel = (key: Simple) => (key === 'notOpen' ? hall.rules.graceMinutes : key === 'longPause' ? hall.rules.defaultLimitMinutes : hall.rules.minutes);

  /** The rules as typed, or the first thing to put right, in words. */
  const draft = (): WindowRules | string => {
    const n: Partial<Record<Simple, number>> = {};
    for (const { key, kind } of SIMPLE) {
      const value = minutes(values[key], BOUNDS[key]);
      if (value === null) return hall.rules.notWhole(`${hall.rules.names[kind]} · ${fieldLabel(key)}`, BOUNDS[key].min, BOUNDS[key].max);
      n[key] = value;
    }
    const defaultMinutes = minutes(caseDefault, BOUNDS.longCase);
    if (defaultMinutes === null) return hall.rules.notWhole(`${hall.rules.names.long_case} · ${hall.rules.defaultMinutes}`, BOUNDS.longCase.min, BOUNDS.longCase.max);
    const perItem: Record<string, number> = {};
    for (const item of shown) {
      const text = (byItem[item.code] ?? '').trim();
      if (text === '') continue;
      const value = minutes(text, BOUNDS.longCaseItem);
      if (value === null) return hall.rules.itemNotWhole(item.name, BOUNDS.longCaseItem.min, BOUNDS.longCaseItem.max);
      perItem[item.code] = value;
    }
    return {
      notOpen: { enabled: enabled.notOpen, graceMinutes: n.notOpen! },
      longPause: { enabled: enabled.longPause, defaultLimitMinutes: n.longPause! },
      keypadOffline: { enabled: enabled.keypadOffline, minutes: n.keypadOffline! },
      longCase: { enabled: enabled.longCase, defaultMinutes, byItem: perItem },
      terminalSilent: { enabled: enabled.terminalSilent, minutes: n.terminalSilent! },
    };
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = draft();
    if (typeof next === 'string') {
      setNotice({ ok: false, text: next });
      return;
    }
    setBusy(true);
    hallApi.saveRules(next).then(
      () => {
        setBusy(false);
        onSaved();
      },
      (err: unknown) => {
        setBusy(false);
        setNotice({ ok: false, text: refusal(t, err) });
      },
    );
  };

  return (
    <form className="rules" onSubmit={submit} aria-label={hall.rules.title} noValidate>
      {saved && !notice ? <p className="ok" role="status" data-testid="rules-notice">{hall.rules.saved}</p> : null}
      {notice ? <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'} data-testid="rules-notice">{notice.text}</p> : null}
      <div className="rule-grid">
        {SIMPLE.map(({ key, kind }) => (
          <fieldset key={key} data-rule={kind} className={enabled[key] ? undefined : 'off'}>
            <legend>
              <label className="switch">
                <input type="checkbox" name={`${kind}-on`} checked={enabled[key]} onChange={(e) => setEnabled((s) => ({ ...s, [key]: e.target.checked }))} />
                {hall.rules.names[kind]}
              </label>
            </legend>
            <p className="note">{hall.rules.explain[kind]}</p>
            <label>
              {fieldLabel(key)}
              <input name={`${kind}-minutes`} inputMode="numeric" value={values[key]} onChange={(e) => setValues((s) => ({ ...s, [key]: e.target.value }))} />
            </label>
          </fieldset>
        ))}
        <fieldset data-rule="long_case" className={`wide${enabled.longCase ? '' : ' off'}`}>
          <legend>
            <label className="switch">
              <input type="checkbox" name="long_case-on" checked={enabled.longCase} onChange={(e) => setEnabled((s) => ({ ...s, longCase: e.target.checked }))} />
              {hall.rules.names.long_case}
            </label>
          </legend>
          <p className="note">{hall.rules.explain.long_case}</p>
          <label>
            {hall.rules.defaultMinutes}
            <input name="long_case-minutes" inputMode="numeric" value={caseDefault} onChange={(e) => setCaseDefault(e.target.value)} />
          </label>
          <h3>{hall.rules.byItem}</h3>
          {shown.length === 0 ? <p className="empty">{hall.rules.noItems}</p> : null}
          {shown.length > 0 ? (
            <div className="scroll">
              <table data-testid="item-limits">
                <thead>
                  <tr><th>{hall.rules.item}</th><th>{hall.rules.itemLimit}</th></tr>
                </thead>
                <tbody>
                  {shown.map((item) => (
                    <tr key={item.code} data-item={item.code}>
                      <td>{item.name} <span className="mono note">{item.code}</span></td>
                      <td>
                        <input
                          name={`item-${item.code}`}
                          aria-label={`${item.name} ${hall.rules.itemLimit}`}
                          inputMode="numeric"
                          placeholder={caseDefault}
                          value={byItem[item.code] ?? ''}
                          onChange={(e) => setByItem((s) => ({ ...s, [item.code]: e.target.value }))}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </fieldset>
      </div>
      <button type="submit" className="primary" disabled={busy}>{hall.rules.save}</button>
    </form>
  );
}

// ---------------------------------------------------------------- each window's hours

function SchedulePicker({ windows }: { windows: WindowRow[] }) {
  const { hall } = useHallStrings();
  const place = usePlace();
  const asked = place.query.get('window');
  const chosen = windows.find((w) => w.windowNo === asked)?.windowNo ?? windows[0]?.windowNo ?? null;
  if (windows.length === 0) return <p className="empty">{hall.schedule.noWindows}</p>;
  return (
    <div className="schedule">
      <label className="pick">
        {hall.schedule.choose}
        <select name="schedule-window" value={chosen ?? ''} onChange={(e) => navigate(hrefOf(place.path, { window: e.target.value }), { replace: true })}>
          {windows.map((w) => (
            <option key={w.windowNo} value={w.windowNo}>
              {w.windowNo}{w.departmentName ? ` · ${w.departmentName}` : ''}
            </option>
          ))}
        </select>
      </label>
      {chosen ? <ScheduleLoader key={chosen} windowNo={chosen} /> : null}
    </div>
  );
}

function ScheduleLoader({ windowNo }: { windowNo: string }) {
  const { t } = useHallStrings();
  const [round, setRound] = useState(0);
  const [saved, setSaved] = useState(false);
  // A window never given hours is answered with an empty week (EMPTY_WINDOW_SCHEDULE).
  const schedule = useLoad(`hall-schedule-${windowNo}-${round}`, () => hallApi.schedule(windowNo));
  if (schedule.error) return <p className="error" role="alert">{schedule.error}</p>;
  if (!schedule.data) return <p className="loading">{t.loading}</p>;
  return (
    <ScheduleForm
      key={round}
      windowNo={windowNo}
      schedule={schedule.data}
      saved={saved}
      onSaved={() => {
        setSaved(true);
        setRound((n) => n + 1);
      }}
    />
  );
}

function ScheduleForm({ windowNo, schedule, saved, onSaved }: { windowNo: string; schedule: WindowSchedule; saved: boolean; onSaved(): void }) {
  const { t, hall } = useHallStrings();
  const [opens, setOpens] = useState(() => schedule.opensAt.map((v) => v ?? ''));
  const [closes, setCloses] = useState(() => schedule.closesAt.map((v) => v ?? ''));
  const [pause, setPause] = useState(schedule.pauseLimitMinutes === null ? '' : String(schedule.pauseLimitMinutes));
  const [floor, setFloor] = useState(schedule.floor ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const clock = /^([01]\d|2[0-3]):[0-5]\d$/;

  const draft = (): WindowSchedule | string => {
    const opensAt: (string | null)[] = [];
    const closesAt: (string | null)[] = [];
    for (let d = 0; d < 7; d++) {
      const day = hall.schedule.weekdays[d]!;
      const o = opens[d]!.trim();
      const c = closes[d]!.trim();
      if (o && !clock.test(o)) return hall.schedule.badTime(day, hall.schedule.opensAt);
      if (c && !clock.test(c)) return hall.schedule.badTime(day, hall.schedule.closesAt);
      if (Boolean(o) !== Boolean(c)) return hall.schedule.halfDay(day);
      if (o && c <= o) return hall.schedule.backwards(day);
      opensAt.push(o || null);
      closesAt.push(c || null);
    }
    let pauseLimitMinutes: number | null = null;
    if (pause.trim() !== '') {
      pauseLimitMinutes = minutes(pause, BOUNDS.pauseLimit);
      if (pauseLimitMinutes === null) return hall.schedule.badPause(BOUNDS.pauseLimit.min, BOUNDS.pauseLimit.max);
    }
    const f = floor.trim();
    if (f.length > FLOOR_MAX) return hall.schedule.longFloor(FLOOR_MAX);
    return { opensAt, closesAt, pauseLimitMinutes, floor: f || null };
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = draft();
    if (typeof next === 'string') {
      setError(next);
      return;
    }
    setBusy(true);
    hallApi.saveSchedule(windowNo, next).then(
      () => {
        setBusy(false);
        onSaved();
      },
      (err: unknown) => {
        setBusy(false);
        setError(refusal(t, err));
      },
    );
  };
  const set = (which: 'opens' | 'closes', d: number, value: string) => (which === 'opens' ? setOpens : setCloses)((s) => s.map((v, i) => (i === d ? value : v)));

  return (
    <form className="schedule-form" onSubmit={submit} aria-label={`${hall.schedule.title} ${windowNo}`} noValidate data-window={windowNo}>
      {saved && !error ? <p className="ok" role="status" data-testid="schedule-notice">{hall.schedule.saved(windowNo)}</p> : null}
      {error ? <p className="error" role="alert" data-testid="schedule-notice">{error}</p> : null}
      <table className="week">
        <thead>
          <tr><th>{hall.schedule.weekday}</th><th>{hall.schedule.opensAt}</th><th>{hall.schedule.closesAt}</th><th /></tr>
        </thead>
        <tbody>
          {hall.schedule.weekdays.map((day, d) => (
            <tr key={day} data-weekday={d + 1}>
              <td>{day}</td>
              <td><input name={`opens-${d + 1}`} aria-label={`${day} ${hall.schedule.opensAt}`} value={opens[d]} onChange={(e) => set('opens', d, e.target.value)} /></td>
              <td><input name={`closes-${d + 1}`} aria-label={`${day} ${hall.schedule.closesAt}`} value={closes[d]} onChange={(e) => set('closes', d, e.target.value)} /></td>
              <td className="note">{opens[d]!.trim() || closes[d]!.trim() ? '' : hall.schedule.closed}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row-form">
        <label>{hall.schedule.pauseLimit}<input name="pause-limit" inputMode="numeric" value={pause} onChange={(e) => setPause(e.target.value)} /></label>
        <label>{hall.schedule.floor}<input name="floor" value={floor} onChange={(e) => setFloor(e.target.value)} /></label>
        <button type="submit" className="primary" disabled={busy}>{hall.schedule.save}</button>
      </div>
    </form>
  );
}
