import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ReadModels } from '../read-models';
import { READ_MODELS } from '../query-sources';
import { COUNTS_TIME_ZONE } from './incidents.fold';
import { UNCOUNTED_STATUSES } from './incidents.queries';
import { addDays, emergingWindows, type EmergingWindows, type Granularity } from './periods';
import { emergingPairs, type EmergingItem, type PairCounts } from './statistics';

export const DEFAULT_RECENT_WEEKS = 4;
export const DEFAULT_BASELINE_WEEKS = 52;

export interface EmergingRequest {
  partnerships: readonly string[];
  category?: string;
  granularity: Granularity;
  recentWeeks: number;
  baselineWeeks: number;
  now: Date;
  timeZone: string;
}

export interface EmergingHotspots {
  items: EmergingItem[];
  granularity: Granularity;
  windows: EmergingWindows;
}

/** Emerging hotspots (evidence.md): (area, category) pairs whose recent count rose against the baseline beyond chance. */
export class EmergingHotspotsQuery extends Query<EmergingHotspots> {
  constructor(readonly request: EmergingRequest) {
    super();
  }
}

/**
 * The counts per (partnership, area, category, source, period start) over [from, to): from the
 * counts tables when they are kept in the zone asked for, else summed from the points in it (an
 * exact time's local date in the zone; a date or month as given).
 */
function countsSql(granularity: Granularity, zone: string): string {
  if (zone === COUNTS_TIME_ZONE) {
    const [table, period] = granularity === 'week' ? ['incident_counts_weekly', 'week'] : ['incident_counts_monthly', 'month'];
    return `SELECT partnership, area_code, category, source, ${period} AS period, count FROM ${table}
             WHERE partnership = ANY($1::text[]) AND ($2::text IS NULL OR category = $2) AND ${period} >= $3::date AND ${period} < $4::date`;
  }
  const local = `CASE WHEN precision = 'exact' THEN occurred_at AT TIME ZONE $5::text ELSE occurred_on::timestamp END`;
  return `SELECT partnership, area_code, category, source, period, count(*) AS count FROM (
            SELECT partnership, area_code, category, source, date_trunc('${granularity}', ${local})::date AS period FROM incident_points
             WHERE partnership = ANY($1::text[]) AND ($2::text IS NULL OR category = $2) AND area_code IS NOT NULL AND status <> ALL($7::text[])
               ${granularity === 'week' ? "AND precision <> 'month'" : ''}
               AND occurred_at >= $3::date - 2 AND occurred_at < $4::date + 2
          ) p WHERE period >= $3::date AND period < $4::date
          GROUP BY partnership, area_code, category, source, period`;
}

@QueryHandler(EmergingHotspotsQuery)
export class EmergingHotspotsHandler implements IQueryHandler<EmergingHotspotsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ request }: EmergingHotspotsQuery): Promise<EmergingHotspots> {
    const { partnerships, granularity, timeZone } = request;
    const windows = emergingWindows(request.now.getTime(), timeZone, granularity, request.recentWeeks, request.baselineWeeks);
    const { recent, baseline } = windows;
    // A source counts only when its coverage reaches the recent window's last period, so a
    // publication delay never looks like a fall.
    const lastPeriod = granularity === 'week' ? addDays(recent.to, -7) : recent.from;
    const params: unknown[] = [partnerships, request.category ?? null, baseline.from, recent.to, timeZone, lastPeriod];
    if (timeZone !== COUNTS_TIME_ZONE) params.push(UNCOUNTED_STATUSES);
    const rows: { partnership: string; area_code: string; category: string; period: string; count: string }[] = await this.readModels.dataSource.query(
      `WITH counts AS (${countsSql(granularity, timeZone)})
       SELECT c.partnership, c.area_code, c.category, to_char(c.period, 'YYYY-MM-DD') AS period, c.count
         FROM counts c JOIN incident_source_coverage s ON s.partnership = c.partnership AND s.source = c.source
        WHERE s.live OR s.complete_until >= $4::date
           OR date_trunc('${granularity}', s.latest_occurred_at AT TIME ZONE $5::text)::date >= $6::date`,
      params,
    );
    const open: { partnership: string; area_code: string; category: string }[] = await this.readModels.dataSource.query(
      `SELECT DISTINCT partnership, area_code, category FROM problems WHERE status = 'open' AND partnership = ANY($1::text[])`,
      [partnerships],
    );
    const coveredKeys = new Set(open.map((row) => JSON.stringify([row.partnership, row.area_code, row.category])));
    const pairs = new Map<string, PairCounts>();
    for (const row of rows) {
      const key = JSON.stringify([row.partnership, row.area_code, row.category]);
      let pair = pairs.get(key);
      if (!pair) {
        pair = { partnership: row.partnership, areaCode: row.area_code, category: row.category, recent: 0, baseline: 0, covered: coveredKeys.has(key) };
        pairs.set(key, pair);
      }
      if (row.period >= recent.from) pair.recent += Number(row.count);
      else pair.baseline += Number(row.count);
    }
    return { items: emergingPairs([...pairs.values()], recent.days, baseline.days), granularity, windows };
  }
}
