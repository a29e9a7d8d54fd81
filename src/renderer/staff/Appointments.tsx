/**
 * 预约服务 at the window: today's appointments the centre booked at it (with the config, kept
 * offline), in the order they come, phones masked. Staff open a case from one, which links
 * the two; the outcome goes back to the centre with the case and shows here once the next
 * config brings it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { CordialApi, WindowAppointmentEntry } from '../../shared/api';
import { OUTCOME_LABELS, type CaseOutcome } from '../../shared/domain';
import { fill, type Lang } from '../common/lang';
import { APPLICANT_KIND_TEXT, APPOINTMENT_TEXT as A, CHANNEL_TEXT } from './appointment-strings';
import './appointments.css';

function statusOf(a: WindowAppointmentEntry, lang: Lang): string {
  if (a.outcome !== null) return OUTCOME_LABELS[a.outcome as CaseOutcome]?.[lang] ?? a.outcome;
  if (a.caseOpened) return A.opened[lang];
  return a.noShow ? A.noShow[lang] : A.waiting[lang];
}

export function Appointments({ api, lang, refreshKey, busy, onOpen }: { api: CordialApi; lang: Lang; refreshKey: unknown; busy: boolean; onOpen(a: WindowAppointmentEntry): void }) {
  const [list, setList] = useState<WindowAppointmentEntry[] | null>(null);
  const load = useCallback(() => {
    void api.appointments().then((r) => {
      if (r.ok) setList(r.result);
    });
  }, [api]);
  useEffect(load, [load, refreshKey]);

  if (list === null) return null;
  return (
    <section className="appointments" aria-labelledby="appointments-title" data-testid="appointments">
      <div className="appointments-head">
        <h3 id="appointments-title">{A.title[lang]}</h3>
        <button type="button" className="link" onClick={load} data-testid="appointments-refresh">{A.refresh[lang]}</button>
      </div>
      {list.length === 0 ? (
        <p className="hint" data-testid="appointments-none">{A.none[lang]}</p>
      ) : (
        <ul aria-label={A.list[lang]}>
          {list.map((a) => {
            const done = a.caseOpened || a.outcome !== null;
            return (
              <li
                key={a.id}
                data-testid="appointment"
                data-id={a.id}
                data-status={a.outcome ?? (a.caseOpened ? 'opened' : a.noShow ? 'no_show' : 'waiting')}
                className={done ? 'done' : a.noShow ? 'no-show' : undefined}
              >
                <span className="appt-time">{a.agreedTime}</span>
                <span className="appt-main">
                  <span className="appt-who">
                    <span className="appt-kind">{APPLICANT_KIND_TEXT[a.applicantKind][lang]}</span> <strong data-testid="appointment-name">{a.applicantName}</strong>{' '}
                    <span className="appt-phone" data-testid="appointment-phone">{a.phone}</span>
                  </span>
                  <span className="appt-what">
                    {a.itemName} · {CHANNEL_TEXT[a.channel][lang]}
                  </span>
                  {a.departmentOpinion ? <span className="appt-opinion">{A.opinion[lang]}{a.departmentOpinion}</span> : null}
                </span>
                <span className="appt-status" data-testid="appointment-status">{statusOf(a, lang)}</span>
                <span className="appt-action">
                  {done ? null : (
                    <button type="button" data-testid="open-from-appointment" disabled={busy} aria-label={fill(A.openLabel[lang], { name: a.applicantName, time: a.agreedTime })} onClick={() => onOpen(a)}>
                      {A.openFrom[lang]}
                    </button>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
