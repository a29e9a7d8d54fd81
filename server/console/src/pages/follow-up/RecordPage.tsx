/**
 * One follow-up record (/follow-ups/record?id=N): the rating it is about, the masked phone
 * (revealed, and logged, only for the officer the centre allows), the deadline, one form
 * for each step the signed-in person may take now, the citizen's follow-up rating (追评) once
 * called back, and the whole trail in order.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  ANSWER_CHANNELS,
  CALL_RESULTS,
  FINDINGS,
  FOLLOW_UP_RATING_WAYS,
  type AnswerChannel,
  type CallResult,
  type Finding,
  type FollowUpAction,
  type FollowUpActionName,
  type FollowUpRatingWay,
  type FollowUpRecord,
  type FollowUpTrailEntry,
} from '../../../../../src/shared/console/contract';
import { isRatingLevel, LEVEL_LABELS, RATING_LEVELS, type RatingLevel } from '../../../../../src/shared/levels';
import { formatters } from '../../i18n';
import { useLiveEvents } from '../../live/live-events';
import { Link, usePlace } from '../../router';
import { sentence, useLoad } from '../../session';
import { followUpApi } from './follow-up-api';
import { leftText } from './LedgerPage';
import { useFollowUpStrings, type FollowUpStrings } from './strings';
import './follow-up.css';

export function RecordPage() {
  const { fu } = useFollowUpStrings();
  const id = Number(usePlace().query.get('id'));
  if (!Number.isInteger(id) || id <= 0) {
    return (
      <section className="page follow-up">
        <p className="error" role="alert">{fu.record.badId}</p>
        <Link href="/follow-ups">{fu.record.back}</Link>
      </section>
    );
  }
  return <Record key={id} id={id} />;
}

function Record({ id }: { id: number }) {
  const words = useFollowUpStrings();
  const { fu, language } = words;
  const f = formatters(language);
  const record = useLoad(`fu-record-${id}`, () => followUpApi.record(id));
  // Kept as a way to say it, so a change of language says the notice again in the new one.
  const [notice, setNotice] = useState<{ ok: boolean; say(w: typeof words): string } | null>(null);
  const [phone, setPhone] = useState<string | null>(null);
  useLiveEvents(['follow_up'], (event) => {
    if (event.type === 'follow_up' && event.followUpId === id) record.reload();
  });

  const acted = (next: FollowUpRecord) => {
    setNotice({ ok: true, say: (w) => w.fu.record.saved(w.fu.states[next.state]) });
    record.reload();
  };
  const failed = (err: unknown) => setNotice({ ok: false, say: (w) => sentence(w.t, err) });
  const reveal = () => {
    followUpApi.revealPhone(id).then((answer) => {
      setPhone(answer.phone);
      setNotice({ ok: true, say: (w) => w.fu.record.revealed });
      record.reload();
    }, failed);
  };

  const r = record.data;
  return (
    <section className="page follow-up record">
      <p><Link href="/follow-ups">{fu.record.back}</Link></p>
      <h1>
        {fu.record.title(id)}
        {r ? <span className={`state-badge ${r.state}`} data-testid="record-state">{fu.states[r.state]}</span> : null}
      </h1>
      {record.error ? <p className="error" role="alert">{record.error}</p> : null}
      {notice ? <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'} data-testid="record-notice">{notice.say(words)}</p> : null}
      {r ? (
        <>
          <div className="record-grid">
            <div className="panel">
              <h2>{fu.record.rating}</h2>
              <dl className="facts">
                <Fact term={r.level === null ? fu.ledger.level : fu.rate.first}>{r.level === null ? <strong data-testid="record-complaint">{fu.ledger.complaint}：{r.complaintSummary}</strong> : <strong>{LEVEL_LABELS[r.level][language]}</strong>}</Fact>
                {r.ratingId === null ? null : (
                  <Fact term={fu.rate.given}>
                    {r.followUpRatings.length === 0 ? (
                      <span className="note">{fu.rate.none}</span>
                    ) : (
                      r.followUpRatings.map((g) => (
                        <div key={g.seq} data-testid="follow-up-rating">
                          <strong>{LEVEL_LABELS[g.level][language]}</strong> · {fu.rate.ways[g.how]} · {g.by} · {f.time(g.at)}
                        </div>
                      ))
                    )}
                  </Fact>
                )}
                <Fact term={fu.ledger.ratedAt}>{f.time(r.ratedAt)}</Fact>
                <Fact term={fu.ledger.window}>{r.windowNo ?? '—'}</Fact>
                <Fact term={fu.ledger.staff}>{[r.staffName, r.staffNo].filter(Boolean).join(' · ') || '—'}</Fact>
                <Fact term={fu.record.department}>{r.departmentName ?? r.departmentCode ?? '—'}</Fact>
                <Fact term={fu.ledger.item}>{r.itemName ?? r.itemCode ?? '—'}</Fact>
                <Fact term={fu.record.caseNo}>{r.caseNo ?? '—'}</Fact>
                <Fact term={fu.ledger.reasons}><span className="mono">{r.reasonCodes.join(' ') || '—'}</span></Fact>
                <Fact term={fu.record.comment}>{r.comment ?? '—'}</Fact>
                <Fact term={fu.record.phone}>
                  {r.phoneMasked === null ? (
                    <span className="note">{fu.record.noPhone}</span>
                  ) : (
                    <>
                      <span className="mono phone" data-testid="record-phone">{phone ?? r.phoneMasked}</span>{' '}
                      {r.mayRevealPhone && phone === null ? <button type="button" onClick={reveal} data-testid="reveal-phone">{fu.record.reveal}</button> : null}
                    </>
                  )}
                </Fact>
                <Fact term={fu.ledger.deadline}>
                  {r.deadline}{' '}
                  <span className={r.overdue ? 'late' : 'note'} data-testid="record-left">
                    {r.overdue ? <strong className="mark">{leftText(fu, r)}</strong> : leftText(fu, r)}
                  </span>
                </Fact>
                <Fact term={fu.ledger.assignee}>{r.assignee ?? <span className="note">{fu.ledger.unassigned}</span>}</Fact>
                {r.finding ? <Fact term={fu.record.finding}>{fu.findings[r.finding]}</Fact> : null}
                {r.openedBy === 'hand' ? <Fact term="">{fu.record.openedByHand}</Fact> : null}
              </dl>
            </div>
            <div className="panel">
              <h2>{fu.record.handle}</h2>
              {r.allowedActions.length === 0 && !r.mayRate ? <p className="note">{fu.record.noActions}</p> : null}
              {r.mayRate ? (
                <RateForm
                  key={`rate-${r.trail.length}`}
                  record={r}
                  onDone={() => {
                    setNotice({ ok: true, say: (w) => w.fu.rate.saved });
                    record.reload();
                  }}
                  onFailed={failed}
                />
              ) : null}
              {r.allowedActions.map((action) => (
                <ActionForm key={`${action}-${r.trail.length}`} action={action} record={r} onDone={acted} onFailed={failed} />
              ))}
            </div>
          </div>
          <h2>{fu.record.trail}</h2>
          <Trail entries={r.trail} />
        </>
      ) : null}
    </section>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

/** The order a step's fields are asked in, kept when the trail shows them (the centre stores them unordered). */
const DETAIL_ORDER = ['assignee', 'result', 'attempts', 'note', 'finding', 'findings', 'measures', 'responsible', 'told', 'how', 'reason'];

/** A trail entry's detail in words: field names and the chosen values in the page's language. */
function detailText(fu: FollowUpStrings, language: 'zh' | 'en', entry: FollowUpTrailEntry): string[] {
  if (entry.action === 'reveal_phone') return [fu.record.revealTrail];
  if (entry.action === 'rate') {
    const level = String(entry.detail.level);
    const how = String(entry.detail.how) as FollowUpRatingWay;
    const lines = [fu.rate.entry(isRatingLevel(level) ? LEVEL_LABELS[level][language] : level, fu.rate.ways[how] ?? how)];
    const note = String(entry.detail.note ?? '').trim();
    return note === '' ? lines : [...lines, `${fu.rate.noteShort}${fu.record.colon}${note}`];
  }
  const rank = (key: string) => (DETAIL_ORDER.includes(key) ? DETAIL_ORDER.indexOf(key) : DETAIL_ORDER.length);
  const entries = Object.entries(entry.detail).sort(([a], [b]) => rank(a) - rank(b));
  return entries.filter(([, value]) => String(value).trim() !== '').map(([key, value]) => {
    const text = String(value);
    const word =
      key === 'result' ? (fu.results[text as CallResult] ?? text)
      : key === 'finding' ? (fu.findings[text as Finding] ?? text)
      : key === 'how' ? (fu.channels[text as AnswerChannel] ?? text)
      : text;
    const label = entry.action === 'close' && key === 'note' ? fu.fields.closeNoteShort : fu.fields[key];
    return `${label ?? key}${fu.record.colon}${word}`;
  });
}

function Trail({ entries }: { entries: FollowUpTrailEntry[] }) {
  const { fu, language } = useFollowUpStrings();
  const f = formatters(language);
  const ordered = [...entries].sort((a, b) => a.seq - b.seq);
  return (
    <table className="trail" data-testid="trail">
      <thead>
        <tr><th>{fu.record.seq}</th><th>{fu.record.at}</th><th>{fu.record.by}</th><th>{fu.record.action}</th><th>{fu.record.change}</th><th>{fu.record.detail}</th></tr>
      </thead>
      <tbody>
        {ordered.map((e) => (
          <tr key={e.seq} data-action={e.action}>
            <td>{e.seq}</td>
            <td className="nowrap">{f.time(e.at)}</td>
            <td>{e.by === 'centre' ? fu.record.centre : e.by}</td>
            <td>{fu.actions[e.action]}</td>
            <td className="nowrap">{e.from === null || e.from === e.to ? '' : `${fu.states[e.from]} → `}{fu.states[e.to]}</td>
            <td className="detail">{detailText(fu, language, e).map((line) => <div key={line}>{line}</div>)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ActionForm({ action, record, onDone, onFailed }: { action: FollowUpActionName; record: FollowUpRecord; onDone(r: FollowUpRecord): void; onFailed(err: unknown): void }) {
  const { fu } = useFollowUpStrings();
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({ attempts: '1', result: 'reached', finding: 'valid', how: 'phone' });
  const set = (name: string) => (e: { target: { value: string } }) => setFields((v) => ({ ...v, [name]: e.target.value }));
  const value = (name: string) => fields[name] ?? '';
  const body = (): FollowUpAction => {
    switch (action) {
      case 'assign': return { action, assignee: value('assignee') };
      case 'call': return { action, result: value('result') as CallResult, attempts: Number(value('attempts')), note: value('note') };
      case 'verify': return { action, finding: value('finding') as Finding, findings: value('findings') };
      case 'rectify': return { action, measures: value('measures'), responsible: value('responsible') };
      case 'answer':
      case 'reply': return { action, told: value('told'), how: value('how') as AnswerChannel };
      case 'close': return { action, note: value('note') };
      case 'reopen': return { action, reason: value('reason') };
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    followUpApi.act(record.id, body()).then(
      (next) => {
        setBusy(false);
        onDone(next);
      },
      (err: unknown) => {
        setBusy(false);
        onFailed(err);
      },
    );
  };
  const text = (name: string, rows = 2, max = 2000, required = true) => (
    <label>
      {fu.fields[name]}
      <textarea name={name} rows={rows} maxLength={max} required={required} value={value(name)} onChange={set(name)} />
    </label>
  );
  const choice = <K extends string>(name: string, options: readonly K[], words: Record<K, string>) => (
    <label>
      {fu.fields[name]}
      <select name={name} value={value(name)} onChange={set(name)}>
        {options.map((o) => <option key={o} value={o}>{words[o]}</option>)}
      </select>
    </label>
  );
  let inputs: ReactNode;
  switch (action) {
    case 'assign': inputs = <OfficerPick department={record.departmentCode} value={value('assignee')} onChange={set('assignee')} />; break;
    case 'call':
      inputs = (
        <>
          <div className="pair">
            {choice('result', CALL_RESULTS, fu.results)}
            <label>{fu.fields.attempts}<input type="number" name="attempts" min={1} max={20} required value={value('attempts')} onChange={set('attempts')} /></label>
          </div>
          {text('note')}
        </>
      );
      break;
    case 'verify': inputs = <>{choice('finding', FINDINGS, fu.findings)}{text('findings', 3, 4000)}</>; break;
    case 'rectify':
      inputs = (
        <>
          {text('measures', 3, 4000)}
          <label>{fu.fields.responsible}<input name="responsible" maxLength={100} required value={value('responsible')} onChange={set('responsible')} /></label>
        </>
      );
      break;
    case 'answer':
    case 'reply': inputs = <>{text('told')}{choice('how', ANSWER_CHANNELS, fu.channels)}</>; break;
    case 'close': inputs = <label>{fu.fields.closeNote}<textarea name="note" rows={2} maxLength={1000} value={value('note')} onChange={set('note')} /></label>; break;
    case 'reopen': inputs = text('reason', 2, 1000); break;
  }
  return (
    <form className="action-form" onSubmit={submit} aria-label={fu.actions[action]} data-action={action}>
      <h3>{fu.actions[action]}</h3>
      {inputs}
      <button type="submit" className="primary" disabled={busy}>{fu.submit[action]}</button>
    </form>
  );
}

function OfficerPick({ department, value, onChange }: { department: string | null; value: string; onChange(e: { target: { value: string } }): void }) {
  const { fu } = useFollowUpStrings();
  const officers = useLoad(`fu-officers-${department ?? ''}`, () => followUpApi.officers(department));
  if (officers.error) return <p className="error" role="alert">{officers.error}</p>;
  if (!officers.data) return <p className="note">{fu.record.loadingOfficers}</p>;
  if (officers.data.officers.length === 0) return <p className="note">{fu.record.noOfficers}</p>;
  return (
    <label>
      {fu.fields.assignee}
      <select name="assignee" value={value} required onChange={onChange}>
        <option value="">{fu.fields.pick}</option>
        {officers.data.officers.map((o) => <option key={o.username} value={o.username}>{o.displayName} ({o.username})</option>)}
      </select>
    </label>
  );
}

/** 追评: the citizen, called back, rates again; the assigned officer records the level, how it was given and a note. */
function RateForm({ record, onDone, onFailed }: { record: FollowUpRecord; onDone(r: FollowUpRecord): void; onFailed(err: unknown): void }) {
  const { fu, language } = useFollowUpStrings();
  const [busy, setBusy] = useState(false);
  const [level, setLevel] = useState<RatingLevel | ''>('');
  const [how, setHow] = useState<FollowUpRatingWay>('phone');
  const [note, setNote] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (level === '') return;
    setBusy(true);
    followUpApi.rate(record.id, { level, how, note }).then(
      (next) => {
        setBusy(false);
        onDone(next);
      },
      (err: unknown) => {
        setBusy(false);
        onFailed(err);
      },
    );
  };
  return (
    <form className="rate-form" onSubmit={submit} aria-label={fu.rate.title} data-action="rate">
      <h3>{fu.rate.title}</h3>
      <p className="note">{fu.rate.lead}</p>
      <fieldset className="levels">
        <legend>{fu.rate.level}</legend>
        {RATING_LEVELS.map((l) => (
          <label key={l} className="level-choice">
            <input type="radio" name="level" value={l} required checked={level === l} onChange={() => setLevel(l)} /> {LEVEL_LABELS[l][language]}
          </label>
        ))}
      </fieldset>
      <label>
        {fu.rate.how}
        <select name="how" value={how} onChange={(e) => setHow(e.target.value as FollowUpRatingWay)}>
          {FOLLOW_UP_RATING_WAYS.map((w) => <option key={w} value={w}>{fu.rate.ways[w]}</option>)}
        </select>
      </label>
      <label>
        {fu.rate.note}
        <textarea name="note" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy || level === ''}>{fu.rate.submit}</button>
    </form>
  );
}
