/** A searchable list of the window's service items: type part of a name or code, pick one. */
import { useMemo, useState } from 'react';
import type { ServiceItem } from '../../shared/api';
import type { Lang } from '../common/lang';
import { STAFF_TEXT as T } from './strings';

export const itemKey = (item: ServiceItem) => `${item.itemCode}@${item.itemVersion}`;

export function ItemPicker({ items, chosen, onChoose, lang }: { items: ServiceItem[]; chosen: string | null; onChoose(key: string): void; lang: Lang }) {
  const [query, setQuery] = useState('');
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return items;
    return items.filter((i) => `${i.name} ${i.itemCode} ${i.departmentName ?? ''}`.toLowerCase().includes(q));
  }, [items, query]);

  return (
    <fieldset className="item-picker">
      <legend>{T.itemList[lang]}</legend>
      <label className="visually-hidden" htmlFor="item-search">
        {T.itemSearch[lang]}
      </label>
      <input
        id="item-search"
        type="search"
        data-testid="item-search"
        placeholder={T.itemSearch[lang]}
        autoComplete="off"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="item-list" role="radiogroup" aria-label={T.itemList[lang]}>
        {shown.length === 0 && <p className="hint">{T.noItems[lang]}</p>}
        {shown.map((item) => {
          const key = itemKey(item);
          return (
            <label key={key} className={`item${chosen === key ? ' chosen' : ''}`}>
              <input type="radio" name="item" value={key} checked={chosen === key} onChange={() => onChoose(key)} />
              <span className="item-name">{item.name}</span>
              <span className="item-code">
                {item.itemCode}
                {item.departmentName ? ` · ${item.departmentName}` : ''}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
