/** 导出: the national-field CSV for a date range, and the way to a department's printable bulletin. */
import { useState } from 'react';
import type { ConsoleRole } from '../../../../../src/shared/console/contract';
import { periodContaining } from '../../../../../src/shared/console/periods';
import { api } from '../../api';
import { hrefOf, Link } from '../../router';
import { pinnedDepartment, useLoad, useSession } from '../../session';
import { today } from '../../view';
import { csvHref } from './it-api';
import { useItStrings } from './strings';
import './it.css';

/** Roles the centre gives the CSV to (server/src/console-it/exports.ts). */
const CSV_ROLES: readonly ConsoleRole[] = ['admin', 'supervisor', 'evaluator'];

export function ExportsPage() {
  const { it } = useItStrings();
  const { session } = useSession();
  const pinned = pinnedDepartment(session);
  const month = periodContaining('month', today());
  const [range, setRange] = useState<{ from: string; to: string }>(month);
  const [codes, setCodes] = useState<'' | 'national' | 'provincial'>('');
  const departments = useLoad('departments', () => api.departments());
  const [department, setDepartment] = useState(pinned ?? '');
  const [period, setPeriod] = useState<'month' | 'bimonth'>('month');
  const [bulletinMonth, setBulletinMonth] = useState(today().slice(0, 7));
  const chosen = pinned ?? (department || departments.data?.[0]?.code || '');
  return (
    <section className="page it">
      <h1>{it.exports.title}</h1>
      {CSV_ROLES.includes(session.user.role) ? (
        <form className="row-form" aria-label={it.exports.csv} onSubmit={(e) => e.preventDefault()}>
          <h2>{it.exports.csv}</h2>
          <label>{it.exports.from}<input type="date" name="csv-from" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} /></label>
          <label>{it.exports.to}<input type="date" name="csv-to" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} /></label>
          <label>
            {it.exports.direction}
            <select name="csv-codes" value={codes} onChange={(e) => setCodes(e.target.value as typeof codes)}>
              <option value="">{it.exports.configured}</option>
              <option value="national">{it.exports.national}</option>
              <option value="provincial">{it.exports.provincial}</option>
            </select>
          </label>
          <a className="button primary" data-testid="csv-download" href={csvHref({ ...range, codes: codes || undefined })} download>{it.exports.download}</a>
        </form>
      ) : null}
      <form className="row-form" aria-label={it.exports.bulletin} onSubmit={(e) => e.preventDefault()}>
        <h2>{it.exports.bulletin}</h2>
        <label>
          {it.exports.department}
          <select name="bulletin-department" value={chosen} disabled={pinned !== undefined} onChange={(e) => setDepartment(e.target.value)}>
            {pinned ? <option value={pinned}>{pinned}</option> : null}
            {(departments.data ?? []).filter((d) => d.code !== pinned).map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
          </select>
        </label>
        <label>
          {it.exports.period}
          <select name="bulletin-period" value={period} onChange={(e) => setPeriod(e.target.value as typeof period)}>
            <option value="month">{it.exports.monthly}</option>
            <option value="bimonth">{it.exports.bimonthly}</option>
          </select>
        </label>
        <label>{it.exports.month}<input type="month" name="bulletin-month" value={bulletinMonth} onChange={(e) => setBulletinMonth(e.target.value)} /></label>
        <Link className="button primary" data-testid="open-bulletin" href={hrefOf('/exports/bulletin', { department: chosen, period, month: bulletinMonth })}>{it.exports.open}</Link>
      </form>
    </section>
  );
}
