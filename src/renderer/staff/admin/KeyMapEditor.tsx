/** Which CRK/1 key is which level: the standard layout, or one level per key set by hand. */
import { LEVEL_LABELS, RATING_LEVELS, isRatingLevel, type RatingLevel } from '../../../shared/levels';
import { fill, type Lang } from '../../common/lang';
import { ADMIN_TEXT as T } from './strings';

export type KeyMapDraft = Record<string, RatingLevel> | null;

const KEYS = ['1', '2', '3', '4', '5'];

export function standardKeyMap(): Record<string, RatingLevel> {
  return Object.fromEntries(RATING_LEVELS.map((level, i) => [String(i + 1), level]));
}

export function KeyMapEditor({ value, onChange, lang }: { value: KeyMapDraft; onChange(next: KeyMapDraft): void; lang: Lang }) {
  const setKey = (key: string, level: string) => {
    const next = { ...(value ?? {}) };
    if (isRatingLevel(level)) next[key] = level;
    else delete next[key];
    onChange(next);
  };
  return (
    <fieldset className="key-map">
      <legend>{T.keyMap[lang]}</legend>
      <label className="inline">
        <input type="checkbox" data-testid="standard-key-map" checked={value === null} onChange={(e) => onChange(e.target.checked ? null : standardKeyMap())} />
        {T.standardMap[lang]}
      </label>
      {value !== null && (
        <div className="key-rows">
          {KEYS.map((key) => (
            <label key={key}>
              {fill(T.keyN[lang], { n: key })}
              <select value={value[key] ?? ''} onChange={(e) => setKey(key, e.target.value)}>
                <option value="">{T.unused[lang]}</option>
                {RATING_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {LEVEL_LABELS[level][lang]}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
