/**
 * 一次告知 on the finish form: staff tick the missing materials from the item's list (large
 * targets, for a touch screen) and may add one line of their own; an item without a list
 * keeps the typed lines.
 */
import type { Material } from '../../../shared/service-info';
import { fill, type Lang } from '../../common/lang';
import { SLIP_TEXT as T } from './slip-strings';

export interface MissingChoice {
  /** Indexes into the item's materials. */
  ticked: number[];
  ownLine: string;
  /** The lines typed when the item has no list. */
  typed: string;
}

export function MissingMaterials({ materials, choice, lang, onChange }: { materials: Material[]; choice: MissingChoice; lang: Lang; onChange(next: MissingChoice): void }) {
  if (materials.length === 0) {
    return (
      <label className="missing">
        {T.freeText[lang]}
        <span className="hint">{T.noList[lang]}</span>
        <textarea data-testid="missing-materials" rows={4} maxLength={2000} value={choice.typed} onChange={(e) => onChange({ ...choice, typed: e.target.value })} />
      </label>
    );
  }
  const toggle = (i: number, on: boolean) =>
    onChange({ ...choice, ticked: on ? [...choice.ticked.filter((t) => t !== i), i].sort((a, b) => a - b) : choice.ticked.filter((t) => t !== i) });
  return (
    <fieldset className="missing-ticks" data-testid="missing-ticks">
      <legend>
        {T.tickTitle[lang]}
        {choice.ticked.length > 0 && <span className="ticked-count"> · {fill(T.ticked[lang], { n: choice.ticked.length })}</span>}
      </legend>
      <div className="tick-list">
        {materials.map((m, i) => {
          const on = choice.ticked.includes(i);
          return (
            <label key={i} className={`tick${on ? ' ticked' : ''}`} data-testid="missing-tick">
              <input type="checkbox" checked={on} onChange={(e) => toggle(i, e.target.checked)} />
              <span className="tick-name">{m.name}</span>
              <span className="tick-form">
                {T[m.form][lang]} {fill(T.count[lang], { n: m.count })}
                {m.notes && <span className="tick-notes"> · {m.notes}</span>}
              </span>
            </label>
          );
        })}
      </div>
      <label className="own-line">
        {T.ownLine[lang]}
        <input data-testid="missing-own-line" maxLength={200} value={choice.ownLine} onChange={(e) => onChange({ ...choice, ownLine: e.target.value })} />
      </label>
    </fieldset>
  );
}
