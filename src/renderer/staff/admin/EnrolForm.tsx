/** Enrolment: IT types the one-time code the centre's admin made for this window. */
import { useState } from 'react';
import type { CordialApi } from '../../../shared/api';
import type { Lang } from '../../common/lang';
import { problemText, type Problem } from '../../common/refusal-words';
import { ErrorLine } from '../ErrorLine';
import { ADMIN_TEXT as T } from './strings';

export function EnrolForm({ api, token, lang, onEnrolled }: { api: CordialApi; token: string; lang: Lang; onEnrolled?: () => void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<Problem>(null);
  const [done, setDone] = useState<string | null>(null);
  const enrol = async () => {
    setError(null);
    setDone(null);
    const r = await api.adminEnrol({ token, code });
    if (r.ok) {
      setDone(r.result.windowNo);
      onEnrolled?.();
    } else setError(r.error);
  };
  return (
    <form
      className="admin-form"
      aria-labelledby="enrol-title"
      onSubmit={(e) => {
        e.preventDefault();
        void enrol();
      }}
    >
      <h3 id="enrol-title">{T.enrolTitle[lang]}</h3>
      <label>
        {T.enrolCode[lang]}
        <input data-testid="enrol-code" type="text" autoComplete="off" value={code} onChange={(e) => setCode(e.target.value)} />
        <span className="hint">{T.enrolHint[lang]}</span>
      </label>
      <button type="submit" data-testid="enrol" disabled={code.trim().length < 4}>
        {T.enrol[lang]}
      </button>
      {done && (
        <p className="ok" role="status" data-testid="enrolled">
          {T.enrolled[lang].replace('{window}', done)}
        </p>
      )}
      <ErrorLine message={problemText(error, lang)} testId="enrol-error" />
    </form>
  );
}
