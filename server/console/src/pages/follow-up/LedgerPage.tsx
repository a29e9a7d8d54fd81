/**
 * 回访台账: every follow-up record the role may see, filtered by department, state, overdue,
 * officer and rating dates (all in the address, so a view can be bookmarked), with what is
 * open and late per department at the head, and the same view as a CSV download.
 */
import { useState, type FormEvent } from 'react';
import { FOLLOW_UP_STATES, type FollowUpRow, type FollowUpState } from '../../../../../src/shared/console/contract';
import { isCalendarDate } from '../../../../../src/shared/console/periods';
import { LEVEL_LABELS } from '../../../../../src/shared/levels';
import { api } from '../../api';
import { formatters } from '../../i18n';
import { useLiveTick } from '../../live/live-events';
import { hrefOf, Link, navigate, usePlace } from '../../router';
import { pinnedDepartment, sentence, useLoad, useSession } from '../../session';
import { followUpApi, ledgerCsvHref, recordHref, type LedgerFilters } from './follow-up-api';
import { useFollowUpStrings, type FollowUpStrings } from './strings';
import './follow-up.css';

const LIVE_TYPES = ['follow_up', 'poor_rating'] as const;

function readFilters(query: URLSearchParams, pinned: string | undefined): LedgerFilters {
  const state = query.get('state') ?? '';
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  return {
    department: pinned ?? (query.get('department') || undefined),
    state: state === 'open' || (FOLLOW_UP_STATES as readonly string[]).includes(state) ? (state as FollowUpState | 'open') : undefined,
    overdue: query.get('overdue') === 'true' ? 'true' : undefined,
    assignee: query.get('assignee') || undefined,
    from: isCalendarDate(from) ? from : undefined,
    to: isCalendarDate(to) ? to : undefined,
  };
}

/** Days left in words; a closed record says whether it closed in time. */
export function leftText(fu: FollowUpStrings, row: Pick<FollowUpRow, 'state' | 'workingDaysLeft' | 'closedLate'>): string {
  if (row.state === 'closed') return row.closedLate ? fu.closedLate : fu.closedOnTime;
  return fu.daysLeft(row.workingDaysLeft);
}

export function LedgerPage() {
  const { t, fu, language } = useFollowUpStrings();
  const f = formatters(language);
  const { session } = useSession();
  const place = usePlace();
  const pinned = pinnedDepartment(session);
  const filters = readFilters(place.query, pinned);
  const tick = useLiveTick(LIVE_TYPES);
  const key = JSON.stringify(filters);
  const first = useLoad(`fu-ledger-${key}-${tick}`, () => followUpApi.ledger(filters));
  const counts = useLoad(`fu-counts-${tick}`, () => followUpApi.counts());
  const departments = useLoad(`fu-departments-${pinned ?? ''}`, () => (pinned ? Promise.resolve([]) : api.departments()));
  const [extra, setExtra] = useState<{ key: string; rows: FollowUpRow[]; next: string | null } | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const mine = extra && extra.key === `${key}-${tick}` ? extra : null;
  const rows = first.data ? [...first.data.rows, ...(mine?.rows ?? [])] : [];
  const next = mine ? mine.next : (first.data?.next ?? null);

  const apply = (change: Partial<LedgerFilters>) => {
    const merged = { ...filters, ...change };
    navigate(hrefOf('/follow-ups', { ...merged, department: pinned ? undefined : merged.department }), { replace: true });
  };
  const more = () => {
    if (!next) return;
    setMoreError(null);
    followUpApi.ledger(filters, next).then(
      (page) => setExtra({ key: `${key}-${tick}`, rows: [...(mine?.rows ?? []), ...page.rows], next: page.next }),
      (err: unknown) => setMoreError(sentence(t, err)),
    );
  };

  return (
    <section className="page follow-up">
      <div className="title-row">
        <h1>{fu.ledger.title}</h1>
        <a className="button" href={ledgerCsvHref(filters)} download data-testid="ledger-csv">{fu.ledger.csv}</a>
      </div>

      <h2>{fu.ledger.countsTitle}</h2>
      {counts.error ? <p className="error" role="alert">{counts.error}</p> : null}
      {counts.data && counts.data.departments.length === 0 ? <p className="empty">{fu.ledger.noCounts}</p> : null}
      {counts.data && counts.data.departments.length > 0 ? (
        <table className="counts" data-testid="ledger-counts">
          <thead>
            <tr><th>{fu.ledger.department}</th><th>{fu.ledger.counts.open}</th><th>{fu.ledger.counts.dueTomorrow}</th><th>{fu.ledger.counts.overdue}</th></tr>
          </thead>
          <tbody>
            {counts.data.departments.map((d) => (
              <tr key={d.departmentCode ?? ''} data-department={d.departmentCode ?? ''}>
                <td className="name">
                  {pinned ? (d.departmentName ?? d.departmentCode ?? fu.ledger.noDepartment) : (
                    <Link href={hrefOf('/follow-ups', { department: d.departmentCode ?? undefined, state: 'open' })}>{d.departmentName ?? d.departmentCode ?? fu.ledger.noDepartment}</Link>
                  )}
                </td>
                <td>{f.count(d.open)}</td>
                <td>{f.count(d.dueTomorrow)}</td>
                <td className={d.overdue > 0 ? 'late' : undefined}>
                  {d.overdue > 0 && !pinned ? <Link href={hrefOf('/follow-ups', { department: d.departmentCode ?? undefined, overdue: 'true' })}>{f.count(d.overdue)}</Link> : f.count(d.overdue)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <Filters key={key} filters={filters} pinned={pinned} departments={departments.data ?? []} me={session.user.role === 'follow_up' ? session.user.username : null} onApply={apply} />

      {first.error ? <p className="error" role="alert">{first.error}</p> : null}
      {first.data && rows.length === 0 ? <p className="empty" data-testid="ledger-empty">{fu.ledger.empty}</p> : null}
      {first.data && rows.length > 0 ? (
        <>
          <p className="note" data-testid="ledger-total">{fu.ledger.total(first.data.total)} · {fu.ledger.shown(rows.length)}</p>
          <table className="ledger" data-testid="ledger">
            <thead>
              <tr>
                <th>#</th><th>{fu.ledger.level}</th><th>{fu.ledger.ratedAt}</th><th>{fu.ledger.window}</th><th>{fu.ledger.staff}</th><th>{fu.ledger.item}</th>
                <th>{fu.ledger.reasons}</th><th>{fu.ledger.state}</th><th>{fu.ledger.assignee}</th><th>{fu.ledger.deadline}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-follow-up={row.id} data-state={row.state} className={row.overdue ? 'overdue' : undefined}>
                  <td><Link href={recordHref(row.id)}>{row.id}</Link></td>
                  <td>{row.level === null ? <span className="mark" data-testid="row-complaint">{fu.ledger.complaint}</span> : LEVEL_LABELS[row.level][language]}</td>
                  <td className="nowrap">{f.time(row.ratedAt)}</td>
                  <td>{row.windowNo ?? '—'}</td>
                  <td>{row.staffName ?? row.staffNo ?? '—'}</td>
                  <td className="item">{row.itemName ?? '—'}{pinned || !row.departmentName ? '' : <span className="note"> · {row.departmentName}</span>}</td>
                  {row.complaintSummary !== null ? (
                    <td data-testid="row-complaint-summary">{row.complaintSummary}</td>
                  ) : (
                    <td className="mono">{row.reasonCodes.join(' ') || '—'}</td>
                  )}
                  <td className="nowrap" data-testid="row-state">{fu.states[row.state]}</td>
                  <td>{row.assignee ?? <span className="note">{fu.ledger.unassigned}</span>}</td>
                  <td className="nowrap">
                    {row.deadline}
                    <br />
                    <span className={row.overdue ? 'late' : 'note'} data-testid="row-left">
                      {row.overdue ? <strong className="mark" data-testid="overdue-mark">{leftText(fu, row)}</strong> : leftText(fu, row)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {moreError ? <p className="error" role="alert">{moreError}</p> : null}
          {next ? <button type="button" className="more" onClick={more}>{fu.ledger.more}</button> : null}
        </>
      ) : null}
    </section>
  );
}

function Filters({ filters, pinned, departments, me, onApply }: { filters: LedgerFilters; pinned: string | undefined; departments: { code: string; name: string }[]; me: string | null; onApply(change: Partial<LedgerFilters>): void }) {
  const { fu } = useFollowUpStrings();
  const [assignee, setAssignee] = useState(filters.assignee ?? '');
  const [from, setFrom] = useState(filters.from ?? '');
  const [to, setTo] = useState(filters.to ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ assignee: assignee.trim() || undefined, from: from || undefined, to: to || undefined });
  };
  const clear = () => {
    setAssignee('');
    setFrom('');
    setTo('');
    onApply({ department: undefined, state: undefined, overdue: undefined, assignee: undefined, from: undefined, to: undefined });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label={fu.ledger.title}>
      {pinned ? null : (
        <label>
          {fu.ledger.department}
          <select name="department" value={filters.department ?? ''} onChange={(e) => onApply({ department: e.target.value || undefined })}>
            <option value="">{fu.ledger.allDepartments}</option>
            {departments.map((d) => <option key={d.code} value={d.code}>{d.name}</option>)}
          </select>
        </label>
      )}
      <label>
        {fu.ledger.state}
        <select name="state" value={filters.state ?? ''} onChange={(e) => onApply({ state: (e.target.value || undefined) as LedgerFilters['state'] })}>
          <option value="">{fu.ledger.allStates}</option>
          <option value="open">{fu.ledger.openStates}</option>
          {FOLLOW_UP_STATES.map((s) => <option key={s} value={s}>{fu.states[s]}</option>)}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" name="overdue" checked={filters.overdue === 'true'} onChange={(e) => onApply({ overdue: e.target.checked ? 'true' : undefined })} />
        {fu.ledger.overdueOnly}
      </label>
      {me ? (
        <label className="check">
          <input type="checkbox" name="mine" checked={filters.assignee === me} onChange={(e) => onApply({ assignee: e.target.checked ? me : undefined })} />
          {fu.ledger.mine}
        </label>
      ) : null}
      <label>
        {fu.ledger.assignee}
        <input name="assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)} maxLength={64} size={12} />
      </label>
      <label>
        {fu.ledger.from}
        <input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        {fu.ledger.to}
        <input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <button type="submit" className="primary">{fu.ledger.apply}</button>
      <button type="button" onClick={clear}>{fu.ledger.clear}</button>
    </form>
  );
}
