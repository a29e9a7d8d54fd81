/** 总览: totals, a trend, and a breakdown by channel for one period, read from the roll-ups only. */
import type { FigureQuery, Overview } from '../../../src/shared/console/contract';
import { daysIn } from '../../../src/shared/console/periods';
import type { Sql } from '../db/sql';
import type { CentreSettings } from '../settings';
import { defaultedCounts } from './defaulted';
import { addCounts, judge, sumFigures, zeroCounts } from './sums';

/** Longer ranges are drawn a month per point. */
const DAILY_TREND_DAYS = 93;

export async function overviewOf(db: Sql, settings: CentreSettings, query: FigureQuery, department: string | null, now: number): Promise<Overview> {
  const range = { from: query.from, to: query.to };
  const by = daysIn(range) > DAILY_TREND_DAYS ? 'month' : 'day';
  const [points, channels, defaulted] = await Promise.all([
    sumFigures(db, { dimension: 'department', range, department, by }),
    sumFigures(db, { dimension: 'channel', range, department, by: 'key' }),
    defaultedCounts(db, settings, now, { dimension: 'department', range, department, by }),
  ]);
  const totals = zeroCounts();
  let defaultedTotal = 0;
  const trend = points.map((p) => {
    addCounts(totals, p);
    const d = defaulted.get(p.group) ?? 0;
    defaultedTotal += d;
    const judged = judge(p, d, settings);
    return { bucket: p.group, rated: p.rated, good: judged.good, poor: judged.poor, satisfaction: judged.satisfaction };
  });
  const byChannel = new Map<string, number>();
  for (const c of channels) byChannel.set(c.group, (byChannel.get(c.group) ?? 0) + c.rated);
  return {
    query,
    totals: judge(totals, defaultedTotal, settings),
    trend,
    channels: [...byChannel].map(([channel, rated]) => ({ channel, rated })).sort((a, b) => b.rated - a.rated || a.channel.localeCompare(b.channel)),
    unratedPolicy: settings.ratingPolicy.defaultRating,
    freshAt: now,
  };
}
