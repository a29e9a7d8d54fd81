/**
 * The figures view every page shares, read from and written to the URL: one period (kind
 * and inclusive dates) and an optional department. Pages add their own keys beside it.
 */
import { isCalendarDate, localDate, periodContaining, previousPeriod, daysIn, PERIOD_KINDS, type DateRange, type PeriodKind } from '../../../src/shared/console/periods';

export interface FigureView extends DateRange {
  period: PeriodKind;
  department: string | undefined;
}

export function today(): string {
  return localDate(Date.now(), -new Date().getTimezoneOffset());
}

const isKind = (text: string | null): text is PeriodKind => (PERIOD_KINDS as readonly string[]).includes(text ?? '');

/** The view in the URL; missing or broken parts fall back to the current month. */
export function readView(query: URLSearchParams): FigureView {
  const kind = query.get('period');
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const department = query.get('department') || undefined;
  const period: PeriodKind = isKind(kind) ? kind : 'month';
  if (isCalendarDate(from) && isCalendarDate(to) && from <= to) {
    // A bookmarked period is shown as written, except that a named kind always spans its whole period.
    return period === 'custom' ? { period, from, to, department } : { period, ...periodContaining(period, from), department };
  }
  const range = periodContaining(period === 'custom' ? 'month' : period, today());
  return { period: period === 'custom' ? 'month' : period, ...range, department };
}

export function viewQuery(view: FigureView): Record<string, string | undefined> {
  return { period: view.period, from: view.from, to: view.to, department: view.department };
}

const shiftDay = (day: string, by: number) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + by)).toISOString().slice(0, 10);
};

/** The period before (-1) or after (+1): the same kind, or for a custom range the same length. */
export function stepView(view: FigureView, direction: -1 | 1): FigureView {
  if (view.period === 'custom') {
    const length = daysIn(view);
    return { ...view, from: shiftDay(view.from, direction * length), to: shiftDay(view.to, direction * length) };
  }
  const range = direction < 0 ? previousPeriod(view.period, view) : periodContaining(view.period, shiftDay(view.to, 1));
  return { ...view, ...range };
}

/** Switching kind keeps the period around the current start date. */
export function withKind(view: FigureView, period: PeriodKind): FigureView {
  if (period === 'custom') return { ...view, period };
  return { ...view, period, ...periodContaining(period, view.from) };
}
