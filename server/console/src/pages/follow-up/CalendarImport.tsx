/**
 * A calendar file imported: pasted or chosen, previewed here with the same parser the centre
 * uses (each wrong line named), then sent to the centre, which checks it again.
 */
import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { parseCalendarFile } from '../../../../../src/shared/console/calendar-file';
import { sentence } from '../../session';
import { followUpApi } from './follow-up-api';
import { useFollowUpStrings } from './strings';

/** The largest file the centre takes (CalendarImportBody). */
const MAX_CHARS = 20_000;

export function CalendarImport({ onImported }: { onImported(years: number[]): void }) {
  const { t, fu } = useFollowUpStrings();
  const [text, setText] = useState('');
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const preview = useMemo(() => (text.trim() === '' ? null : parseCalendarFile(text)), [text]);

  const chosen = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    file.text().then(setText, (err: unknown) => setNotice({ ok: false, text: sentence(t, err) }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    followUpApi.importCalendar(text).then(
      (answer) => {
        setBusy(false);
        const years = answer.years.map((y) => y.year);
        setNotice({ ok: true, text: fu.calendar.imported(years.join('、')) });
        onImported(years);
      },
      (err: unknown) => {
        setBusy(false);
        setNotice({ ok: false, text: sentence(t, err) });
      },
    );
  };
  return (
    <form className="panel import" onSubmit={submit} aria-label={fu.calendar.importTitle}>
      <h2>{fu.calendar.importTitle}</h2>
      <p className="note">{fu.calendar.importHint}</p>
      <label className="file">
        {fu.calendar.file}
        <input type="file" name="calendar-file" accept=".txt,.csv,text/plain" onChange={chosen} />
      </label>
      <label>
        {fu.calendar.text}
        <textarea name="calendar-text" rows={6} maxLength={MAX_CHARS} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {preview?.ok ? (
        <div className="preview" data-testid="import-preview">
          <p>{fu.calendar.preview(preview.years.reduce((n, y) => n + y.holidays.length, 0), preview.years.reduce((n, y) => n + y.workdays.length, 0), preview.years.map((y) => y.year).join('、'))}</p>
          {preview.years.map((y) => (
            <p key={y.year} className="mono days">
              {y.holidays.map((d) => `${d.slice(5)} ${fu.calendar.holidayMark}`).concat(y.workdays.map((d) => `${d.slice(5)} ${fu.calendar.workdayMark}`)).join(' · ')}
            </p>
          ))}
        </div>
      ) : null}
      {preview && !preview.ok ? (
        <ul className="error" role="alert" data-testid="import-errors">
          {preview.errors.map((e) => <li key={e.line}>{fu.calendar.lineError(e.line, e.message)}</li>)}
        </ul>
      ) : null}
      {notice ? <p className={notice.ok ? 'ok' : 'error'} role={notice.ok ? 'status' : 'alert'} data-testid="import-notice">{notice.text}</p> : null}
      <button type="submit" className="primary" disabled={busy || !preview?.ok}>{fu.calendar.import}</button>
    </form>
  );
}
