import { OUTCOMES, TACTICS } from '@tasking/domain';
import { queryAreaPositions } from './hotspots.query';
import { MEDIAN_TARGETS_SQL, medianTargets, mediansOf, num, round, targetsTable, wilsonLowerBound, type Sql } from './plan';

const outcomeColumns = OUTCOMES.map((o) => o.replace(/-/g, '_'));

export interface TacticalOption {
  problemCategory: string;
  tactic: { category: string; name: string };
  /** Distinct (problem, tactic) pairs: an action with the tactic discharged completed or partially completed, or an intervention with it. */
  uses: number;
  /** Uses whose problem is closed now (its latest closure stands). */
  closedUses: number;
  /** The latest closure's outcome of each closed use's problem. */
  outcomes: Record<string, number>;
  /** Successful closures / closed uses; null with no closed use. */
  successRate: number | null;
  /** Wilson 95% lower bound of the success rate; null with no closed use. */
  successLowerBound: number | null;
  /** Median days from assignment to discharge of the actions with this tactic on this category (any result). */
  medianDaysToDischarge: number | null;
}

interface LibraryRequest {
  partnerships: readonly string[];
  problemCategory?: string;
  /** Case-insensitive text searched in the tactic's name and category and the problem category. */
  q?: string;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const keyOf = (o: { problemCategory: string; tactic: { category: string; name: string } }) => `${o.problemCategory}|${o.tactic.category}|${o.tactic.name}`;

/** Best first: lower bound, then uses, then names; options with no closed use last. */
export function compareOptions(a: TacticalOption, b: TacticalOption): number {
  const la = a.successLowerBound ?? -1;
  const lb = b.successLowerBound ?? -1;
  return lb - la || b.uses - a.uses || (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0);
}

/** The library rows (without medians), summed over the partnerships, best first. */
async function library(sql: Sql, request: LibraryRequest): Promise<TacticalOption[]> {
  const rows = await sql.query(
    `SELECT problem_category, tactic_category, tactic_name, sum(uses) AS uses, sum(closed_uses) AS closed_uses, sum(successes) AS successes,
            ${outcomeColumns.map((c) => `sum(${c}) AS ${c}`).join(', ')}
       FROM analytics_tactic
      WHERE partnership = ANY($1::text[]) AND ($2::text IS NULL OR problem_category = $2)
        AND ($3::text IS NULL OR tactic_name ILIKE $3 OR tactic_category ILIKE $3 OR problem_category ILIKE $3)
      GROUP BY problem_category, tactic_category, tactic_name
     HAVING sum(uses) > 0`,
    [request.partnerships, request.problemCategory ?? null, request.q ? `%${escapeLike(request.q)}%` : null],
  );
  return rows
    .map((row) => {
      const closedUses = num(row['closed_uses']);
      const successes = num(row['successes']);
      return {
        problemCategory: row['problem_category'] as string,
        tactic: { category: row['tactic_category'] as string, name: row['tactic_name'] as string },
        uses: num(row['uses']),
        closedUses,
        outcomes: Object.fromEntries(OUTCOMES.map((o, i) => [o, num(row[outcomeColumns[i]!])])),
        successRate: closedUses > 0 ? round(successes / closedUses, 4) : null,
        successLowerBound: round(wilsonLowerBound(successes, closedUses), 4),
        medianDaysToDischarge: null,
      };
    })
    .sort(compareOptions);
}

/** Fills in the exact median days to discharge of these options: histograms give the middle bins, then the middle values. */
async function withMedians(sql: Sql, partnerships: readonly string[], options: TacticalOption[]): Promise<void> {
  if (options.length === 0) return;
  const targets = medianTargets(
    await sql.query(
      `WITH hist AS (
         SELECT h.problem_category || '|' || h.tactic_category || '|' || h.tactic_name AS grp, h.bin, h.n
           FROM unnest($2::text[], $3::text[], $4::text[]) AS q(problem_category, tactic_category, tactic_name)
           JOIN analytics_tactic_hist h ON h.partnership = ANY($1::text[]) AND h.problem_category = q.problem_category
            AND h.tactic_category = q.tactic_category AND h.tactic_name = q.tactic_name
       ),
       ${MEDIAN_TARGETS_SQL}
       SELECT grp, bin, off FROM targets`,
      [partnerships, options.map((o) => o.problemCategory), options.map((o) => o.tactic.category), options.map((o) => o.tactic.name)],
    ),
  );
  if (targets.length === 0) return;
  const picks = targetsTable(targets, 2);
  const medians = mediansOf(
    await sql.query(
      `SELECT t.grp, p.value FROM ${picks.sql}
        CROSS JOIN LATERAL (
          SELECT a.days_to_discharge AS value FROM analytics_action a
           WHERE a.partnership = ANY($1::text[]) AND a.problem_category = split_part(t.grp, '|', 1)
             AND a.tactic_category = split_part(t.grp, '|', 2) AND a.tactic_name = split_part(t.grp, '|', 3)
             AND a.discharge_bin = t.bin AND a.discharged_at IS NOT NULL
           ORDER BY a.days_to_discharge OFFSET t.off LIMIT 1
        ) p`,
      [partnerships, ...picks.params],
    ),
  );
  for (const option of options) option.medianDaysToDischarge = round(medians.get(keyOf(option)) ?? null, 2);
}

export interface TacticalOptionsRequest extends LibraryRequest {
  limit: number;
  offset: number;
}

/** The tactical-options library, best lower bound first, one page. */
export async function queryTacticalOptions(sql: Sql, request: TacticalOptionsRequest): Promise<{ items: TacticalOption[]; nextOffset?: number }> {
  const all = await library(sql, request);
  const items = all.slice(request.offset, request.offset + request.limit);
  await withMedians(sql, request.partnerships, items);
  return request.offset + request.limit < all.length ? { items, nextOffset: request.offset + request.limit } : { items };
}

export type SuggestionTier = 'same-area' | 'nearby' | 'elsewhere' | 'unused';

export interface Suggestion extends TacticalOption {
  rank: number;
  /** same-area: used on problems of this category in the problem's area; nearby: in another area, nearest first; elsewhere: only in areas with no known position; unused: never used on this category. */
  tier: SuggestionTier;
  usesInArea: number;
  /** The nearest other area where it was used on this category, and how far its centroid is. */
  nearestAreaCode: string | null;
  distanceKm: number | null;
  /** Already used on this very problem (not excluded, only marked). */
  usedOnThisProblem: boolean;
}

export interface SuggestionsResult {
  problem: { problemId: string; category: string; areaCode: string };
  items: Suggestion[];
}

/** Great-circle distance between two points, km. */
export function distanceKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Ranked tactics for a problem, from the library of its category: tactics used on problems of
 * that category in the same area first, then those used in other areas by the distance between
 * area centroids (registered, else the mean of the area's problems' coordinates), then those used
 * only where no position is known, each group by lower bound; then every other tactic of the
 * taxonomy (never used on the category) in taxonomy order. Nothing is excluded, not even tactics
 * already used on the problem (they are marked). Undefined when the problem is not visible.
 */
export async function querySuggestions(sql: Sql, partnerships: readonly string[], problemId: string): Promise<SuggestionsResult | undefined> {
  const [problem] = await sql.query(
    'SELECT problem_id, category, area_code, tactics FROM analytics_problem WHERE problem_id = $1::uuid AND partnership = ANY($2::text[])',
    [problemId, partnerships],
  );
  if (!problem) return undefined;
  const category = problem['category'] as string;
  const areaCode = problem['area_code'] as string;
  const usedHere = new Set(problem['tactics'] as string[]);
  const [options, areaUses, positions] = await Promise.all([
    library(sql, { partnerships, problemCategory: category }),
    sql.query(
      `SELECT area_code, tactic_category, tactic_name, sum(uses) AS uses FROM analytics_tactic_area
        WHERE partnership = ANY($1::text[]) AND problem_category = $2 GROUP BY 1, 2, 3 HAVING sum(uses) > 0`,
      [partnerships, category],
    ),
    queryAreaPositions(sql, partnerships),
  ]);
  const here = positions.get(areaCode);
  const areasOf = new Map<string, { area: string; uses: number }[]>();
  for (const row of areaUses) {
    const key = `${row['tactic_category']}|${row['tactic_name']}`;
    if (!areasOf.has(key)) areasOf.set(key, []);
    areasOf.get(key)!.push({ area: row['area_code'] as string, uses: num(row['uses']) });
  }
  const ranked: Omit<Suggestion, 'rank'>[] = options.map((option) => {
    const key = `${option.tactic.category}|${option.tactic.name}`;
    const areas = areasOf.get(key) ?? [];
    const usesInArea = areas.filter((a) => a.area === areaCode).reduce((sum, a) => sum + a.uses, 0);
    let nearest: { area: string; km: number } | null = null;
    if (here) {
      for (const { area } of areas) {
        const there = area === areaCode ? undefined : positions.get(area);
        if (!there) continue;
        const km = distanceKm(here, there);
        if (!nearest || km < nearest.km || (km === nearest.km && area < nearest.area)) nearest = { area, km };
      }
    }
    const tier: SuggestionTier = usesInArea > 0 ? 'same-area' : nearest ? 'nearby' : 'elsewhere';
    return {
      ...option,
      tier,
      usesInArea,
      nearestAreaCode: nearest?.area ?? null,
      distanceKm: nearest ? round(nearest.km, 3) : null,
      usedOnThisProblem: usedHere.has(key),
    };
  });
  const order: Record<SuggestionTier, number> = { 'same-area': 0, nearby: 1, elsewhere: 2, unused: 3 };
  ranked.sort((a, b) => order[a.tier] - order[b.tier] || (a.tier === 'nearby' ? a.distanceKm! - b.distanceKm! : 0) || compareOptions(a, b));
  const seen = new Set(ranked.map((r) => `${r.tactic.category}|${r.tactic.name}`));
  for (const tactic of TACTICS) {
    const key = `${tactic.category}|${tactic.name}`;
    if (seen.has(key)) continue;
    ranked.push({
      problemCategory: category,
      tactic: { category: tactic.category, name: tactic.name },
      uses: 0,
      closedUses: 0,
      outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, 0])),
      successRate: null,
      successLowerBound: null,
      medianDaysToDischarge: null,
      tier: 'unused',
      usesInArea: 0,
      nearestAreaCode: null,
      distanceKm: null,
      usedOnThisProblem: usedHere.has(key),
    });
  }
  await withMedians(sql, partnerships, ranked as TacticalOption[]);
  return {
    problem: { problemId: problem['problem_id'] as string, category, areaCode },
    items: ranked.map((r, i) => ({ ...r, rank: i + 1 })),
  };
}
