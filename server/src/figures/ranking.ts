/** 排名: staff, windows, departments or items over a period, from the roll-ups only. */
import type { Ranking, RankingQuery, RankingRow } from '../../../src/shared/console/contract';
import type { Sql } from '../db/sql';
import type { CentreSettings } from '../settings';
import { defaultedCounts } from './defaulted';
import { judge, sumFigures } from './sums';

type Sort = RankingQuery['sort'];

const primary: Record<Sort, (r: RankingRow) => number> = {
  satisfaction: (r) => r.satisfaction ?? -1,
  volume: (r) => r.cases,
  poor: (r) => r.poor,
};

/** Best first: highest satisfaction, most cases, or most poor ratings; ties by volume, then key. */
function compare(sort: Sort) {
  return (a: RankingRow, b: RankingRow) => primary[sort](b) - primary[sort](a) || b.rated - a.rated || a.key.localeCompare(b.key) || (a.departmentCode ?? '').localeCompare(b.departmentCode ?? '');
}

export async function rankingOf(db: Sql, settings: CentreSettings, query: RankingQuery, department: string | null, departmentNames: Map<string, string>, now: number): Promise<Ranking> {
  const range = { from: query.from, to: query.to };
  const [sums, defaulted] = await Promise.all([
    sumFigures(db, { dimension: query.dimension, range, department, by: 'key' }),
    defaultedCounts(db, settings, now, { dimension: query.dimension, range, department, by: 'key' }),
  ]);
  const rows: RankingRow[] = sums.map((s) => {
    const judged = judge(s, defaulted.get(`${s.departmentCode}\u0001${s.group}`) ?? 0, settings);
    const departmentCode = s.departmentCode === '' ? null : s.departmentCode;
    return {
      rank: null,
      key: s.group,
      name: s.name ?? s.group,
      departmentCode,
      departmentName: departmentCode === null ? null : (departmentNames.get(departmentCode) ?? null),
      cases: judged.cases,
      rated: judged.rated,
      good: judged.good,
      poor: judged.poor,
      satisfaction: judged.satisfaction,
    };
  });
  const order = compare(query.sort);
  const ranked = rows.filter((r) => r.rated >= query.minRated && r.rated > 0).sort(order);
  const belowThreshold = rows.filter((r) => !(r.rated >= query.minRated && r.rated > 0)).sort(order);
  // Equal figures share a rank (1, 1, 3).
  ranked.forEach((r, i) => {
    const before = ranked[i - 1];
    r.rank = before && primary[query.sort](before) === primary[query.sort](r) ? before.rank : i + 1;
  });
  return { query, ranked, belowThreshold };
}
