/** Live presses from the keypad, as the core records them: IT presses keys and watches them arrive. */
import { useEffect, useState } from 'react';
import type { CordialApi } from '../../../shared/api';
import type { KioskEvent, Snapshot } from '../../../shared/contract';
import type { MisuseCause } from '../../../shared/domain';
import { LEVEL_LABELS } from '../../../shared/levels';
import { clockTime } from '../../common/format';
import type { Bilingual, Lang } from '../../common/lang';
import { STAFF_TEXT } from '../strings';
import { ADMIN_TEXT as T } from './strings';

type Press = Extract<KioskEvent, { type: 'press' }> & { n: number };

const SHOWN = 20;

const CAUSES: Record<MisuseCause, Bilingual> = {
  window_closed: { zh: '无人签到', en: 'nobody signed in' },
  window_paused: { zh: '窗口暂停', en: 'window paused' },
  no_case_waiting: { zh: '未邀请评价', en: 'no rating invited' },
  second_press: { zh: '已评价过', en: 'already rated' },
  repeat_event: { zh: '重复上报', en: 'delivered twice' },
  unmapped_key: { zh: '按键未对应等级', en: 'key not in the key map' },
};

export function KeypadTest({ api, snapshot, lang }: { api: CordialApi; snapshot: Snapshot; lang: Lang }) {
  const [presses, setPresses] = useState<Press[]>([]);

  useEffect(() => {
    let n = 0;
    return api.onEvent((event) => {
      if (event.type === 'press') setPresses((list) => [{ ...event, n: ++n }, ...list].slice(0, SHOWN));
    });
  }, [api]);

  const { keypad } = snapshot;
  return (
    <section className="admin-form" aria-labelledby="keypad-test-title">
      <h3 id="keypad-test-title">{T.tabTest[lang]}</h3>
      <p className="hint">{T.testHint[lang]}</p>
      <p>
        {T.linkNow[lang]}:{' '}
        <strong data-testid="test-link" data-link={keypad.link}>
          {STAFF_TEXT[`link_${keypad.link}`][lang]}
        </strong>
        {keypad.serial && ` · ${keypad.serial}`}
        {keypad.detail && keypad.link !== 'online' && ` · ${keypad.detail}`}
      </p>
      <ol className="press-log" data-testid="press-log" aria-live="polite">
        {presses.length === 0 && <li className="hint">{T.testNone[lang]}</li>}
        {presses.map((p) => (
          <li key={p.n} className={`press press-${p.outcome}`} data-testid="press">
            <span>{clockTime(p.at)}</span>
            <span data-testid="press-key">
              {p.rawKey !== null && <kbd>{p.rawKey}</kbd>} {p.level ? LEVEL_LABELS[p.level][lang] : '—'}
            </span>
            <span>{p.outcome === 'rating' ? T.pressRating[lang] : p.outcome === 'repeat' ? T.pressRepeat[lang] : T.pressMisuse[lang]}</span>
            {p.cause && <span className="sub">{CAUSES[p.cause][lang]}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
