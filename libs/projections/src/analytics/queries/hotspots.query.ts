import { PRIORITIES } from '@tasking/domain';
import { num, planWindow, round, segmentsCte, type Sql } from './plan';

export interface HotspotsRequest {
  partnerships: readonly string[];
  /** Restricts every figure to problems of this category (and their actions). */
  category?: string;
  fromMs: number | null;
  toMs: number;
  /** "now" for overdue actions. */
  nowMs: number;
}

export interface HotspotItem {
  areaCode: string;
  openProblems: number;
  openActions: number;
  unclaimedActions: number;
  /** Open actions declined and waiting to be reassigned or cancelled (not counted as unclaimed). */
  declinedActions: number;
  overdueActions: number;
  raised: number;
  closed: number;
  byCategory: Record<string, number>;
  byPriority: Record<string, number>;
  score: number;
}

const ANY = '*';

/**
 * Hotspot caseloads per area, highest score first: open problems by category and priority and
 * open / unclaimed / declined actions from `analytics_open_area`; overdue actions (open and
 * now >= dueBy) counted now from the open-actions index; problems raised and closures in
 * [from, to) from the monthly buckets and detail edges. Score = sum over open problems of
 * weight (high 3, medium 2, low or unset 1) x (1 + harmScore/100), + 0.5 per overdue action.
 */
export async function queryHotspots(sql: Sql, request: HotspotsRequest): Promise<HotspotItem[]> {
  const { partnerships, nowMs } = request;
  const category = request.category ?? ANY;
  const window = segmentsCte(planWindow('window', request.fromMs, request.toMs), 3);
  const [open, overdue, flows] = await Promise.all([
    sql.query(
      `SELECT area_code, category, open_problems, open_high, open_medium, open_low, open_unset, score_e4, open_actions, unclaimed_actions, declined_actions
         FROM analytics_open_area WHERE partnership = ANY($1::text[]) AND ($2 = '*' OR category = $2)`,
      [partnerships, category],
    ),
    sql.query(
      `SELECT area_code, count(*) AS n FROM analytics_action
        WHERE status = 'open' AND partnership = ANY($1::text[]) AND due_by <= $2 AND ($3 = '*' OR problem_category = $3)
        GROUP BY area_code`,
      [partnerships, new Date(nowMs).toISOString(), category],
    ),
    sql.query(
      `WITH ${window.sql}
       SELECT area_code, sum(raised) AS raised, sum(closed) AS closed FROM (
         SELECT b.area_code, s.sign * b.raised AS raised, s.sign * b.closed AS closed
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_area_month b WHERE b.partnership = ANY($1::text[]) AND b.category = $2
            AND b.month >= s.lo AND b.month < s.hi OFFSET 0) b WHERE s.kind = 'months'
         UNION ALL
         SELECT b.area_code, s.sign * b.raised, s.sign * b.closed
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_area_month b WHERE b.partnership = ANY($1::text[]) AND b.category = $2
            AND b.month = 'infinity' OFFSET 0) b WHERE s.kind = 'total'
         UNION ALL
         SELECT p.area_code, s.sign, 0
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_problem p WHERE p.partnership = ANY($1::text[])
            AND p.raised_at >= s.lo AND p.raised_at < s.hi AND ($2 = '*' OR p.category = $2) OFFSET 0) p WHERE s.kind = 'detail'
         UNION ALL
         SELECT c.area_code, 0, s.sign
           FROM seg s CROSS JOIN LATERAL (SELECT * FROM analytics_closure c WHERE c.partnership = ANY($1::text[])
            AND c.closed_at >= s.lo AND c.closed_at < s.hi AND ($2 = '*' OR c.category = $2) OFFSET 0) c WHERE s.kind = 'detail'
       ) x GROUP BY area_code`,
      [partnerships, category, ...window.params],
    ),
  ]);

  const areas = new Map<string, HotspotItem & { scoreE4: number }>();
  const area = (code: string) => {
    let item = areas.get(code);
    if (!item) {
      item = {
        areaCode: code,
        openProblems: 0,
        openActions: 0,
        unclaimedActions: 0,
        declinedActions: 0,
        overdueActions: 0,
        raised: 0,
        closed: 0,
        byCategory: {},
        byPriority: Object.fromEntries([...PRIORITIES, 'unset'].map((p) => [p, 0])),
        score: 0,
        scoreE4: 0,
      };
      areas.set(code, item);
    }
    return item;
  };
  for (const row of open) {
    const item = area(row['area_code'] as string);
    const problems = num(row['open_problems']);
    item.openProblems += problems;
    item.openActions += num(row['open_actions']);
    item.unclaimedActions += num(row['unclaimed_actions']);
    item.declinedActions += num(row['declined_actions']);
    if (problems > 0) item.byCategory[row['category'] as string] = (item.byCategory[row['category'] as string] ?? 0) + problems;
    for (const priority of [...PRIORITIES, 'unset']) item.byPriority[priority]! += num(row[`open_${priority}`]);
    item.scoreE4 += num(row['score_e4']);
  }
  for (const row of overdue) area(row['area_code'] as string).overdueActions += num(row['n']);
  for (const row of flows) {
    const item = area(row['area_code'] as string);
    item.raised += num(row['raised']);
    item.closed += num(row['closed']);
  }
  const items = [...areas.values()]
    .filter((a) => a.openProblems > 0 || a.openActions > 0 || a.raised > 0 || a.closed > 0)
    .map(({ scoreE4, ...item }) => ({
      ...item,
      byCategory: Object.fromEntries(Object.entries(item.byCategory).sort(([a], [b]) => (a < b ? -1 : 1))),
      score: round(scoreE4 / 10_000 + 0.5 * item.overdueActions, 4)!,
    }));
  items.sort(
    (a, b) =>
      b.score - a.score ||
      b.openProblems - a.openProblems ||
      b.openActions - a.openActions ||
      (a.areaCode < b.areaCode ? -1 : a.areaCode > b.areaCode ? 1 : 0),
  );
  return items;
}

export interface AreaPosition {
  code: string;
  name: string | null;
  lat: number;
  lng: number;
  /** 'registered': the area's centroid (AreaRegistered/AreaUpdated); 'problems': the mean of its problems' coordinates. */
  source: 'registered' | 'problems';
}

/** Where each area is: its registered centroid, else the mean of its problems' coordinates. */
export async function queryAreaPositions(sql: Sql, partnerships: readonly string[]): Promise<Map<string, AreaPosition>> {
  const [registered, means] = await Promise.all([
    sql.query('SELECT code, name, lat, lng FROM analytics_area WHERE partnership = ANY($1::text[]) AND lat IS NOT NULL AND lng IS NOT NULL', [partnerships]),
    sql.query(
      `SELECT area_code, sum(n) AS n, sum(sum_lat_e7) AS lat, sum(sum_lng_e7) AS lng FROM analytics_area_coords
        WHERE partnership = ANY($1::text[]) GROUP BY area_code`,
      [partnerships],
    ),
  ]);
  const positions = new Map<string, AreaPosition>();
  for (const row of means) {
    const n = num(row['n']);
    if (n > 0) {
      positions.set(row['area_code'] as string, {
        code: row['area_code'] as string,
        name: null,
        lat: round(num(row['lat']) / n / 1e7, 7)!,
        lng: round(num(row['lng']) / n / 1e7, 7)!,
        source: 'problems',
      });
    }
  }
  for (const row of registered) {
    positions.set(row['code'] as string, {
      code: row['code'] as string,
      name: row['name'] as string,
      lat: row['lat'] as number,
      lng: row['lng'] as number,
      source: 'registered',
    });
  }
  return positions;
}
