import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Brackets } from 'typeorm';
import type { ReadModels } from '../read-models';
import { READ_MODELS, type TimeIdKey } from '../query-sources';
import { timeIdPage } from '../time-id-page';
import { ProblemEntity } from '../problems/problems.entities';
import { IncidentPointEntity } from './incidents.entities';
import type { IncidentStatus } from './incidents.fold';
import { isoWeekKey, weekStartOf, weekStartOfDate } from './periods';

/** Statuses that count as incidents (a withdrawn one was never there; a duplicate is counted as its original). */
export const UNCOUNTED_STATUSES: readonly IncidentStatus[] = ['withdrawn', 'duplicate'];

export interface IncidentFilters {
  /** Absent: every status but withdrawn. */
  statuses?: readonly IncidentStatus[];
  unmapped?: boolean;
  areaCode?: string;
  category?: string;
  source?: string;
  channel?: string;
  /** Occurred at or after. */
  from?: Date;
  /** Occurred before. */
  to?: Date;
}

/** Incidents of `partnerships`, latest occurrence first: up to `limit + 1` rows (one more says a page follows). */
export class FindIncidentsQuery extends Query<IncidentPointEntity[]> {
  constructor(
    readonly partnerships: readonly string[],
    readonly filters: IncidentFilters,
    readonly limit: number,
    readonly after: TimeIdKey | undefined,
  ) {
    super();
  }
}

@QueryHandler(FindIncidentsQuery)
export class FindIncidentsHandler implements IQueryHandler<FindIncidentsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ partnerships, filters, limit, after }: FindIncidentsQuery) {
    const qb = timeIdPage(this.readModels, IncidentPointEntity, 'i', { partnerships, order: { column: 'occurredAt', direction: 'DESC' }, limit, after });
    if (filters.statuses) qb.andWhere('i.status IN (:...statuses)', { statuses: filters.statuses });
    else qb.andWhere("i.status <> 'withdrawn'");
    if (filters.unmapped !== undefined) qb.andWhere('i.unmapped = :unmapped', { unmapped: filters.unmapped });
    if (filters.areaCode) qb.andWhere('i.areaCode = :areaCode', { areaCode: filters.areaCode });
    if (filters.category) qb.andWhere('i.category = :category', { category: filters.category });
    if (filters.source) qb.andWhere('i.source = :source', { source: filters.source });
    if (filters.channel) qb.andWhere('i.channel = :channel', { channel: filters.channel });
    if (filters.from) qb.andWhere('i.occurredAt >= :from', { from: filters.from });
    if (filters.to) qb.andWhere('i.occurredAt < :to', { to: filters.to });
    return qb.getMany();
  }
}

/** Suggestions for triage (evidence.md, "Incidents"). */
export const SUGGESTED_PROBLEM_METRES = 250;
export const DUPLICATE_METRES = 50;
export const DUPLICATE_HOURS = 72;

export interface IncidentSuggestions {
  /** Open problems of its category in its area or within 250 m, nearest first (those of its area without a position last). */
  problems: ProblemEntity[];
  /** Other incidents of its category within 50 m and 72 hours, nearest in time first. */
  duplicates: IncidentPointEntity[];
}

export interface IncidentRecord {
  incident: IncidentPointEntity;
  suggestions: IncidentSuggestions;
}

/** The incident with its suggestions; undefined when unknown or of none of `partnerships`. */
export class FindIncidentQuery extends Query<IncidentRecord | undefined> {
  constructor(
    readonly incidentId: string,
    readonly partnerships: readonly string[],
  ) {
    super();
  }
}

/** Metres per degree of latitude (and of longitude at the equator) on the mean Earth radius. */
const METRES_PER_DEGREE = 111_195;

/** Great-circle distance in metres between the row's (lat, lng) and ($lat, $lng) (haversine, mean Earth radius). */
const distanceSql = (alias: string, lat: string, lng: string) =>
  `(2 * 6371008.8 * asin(sqrt(power(sin(radians(${alias}.lat - ${lat}) / 2), 2) + cos(radians(${lat})) * cos(radians(${alias}.lat)) * power(sin(radians(${alias}.lng - ${lng}) / 2), 2))))`;

/** A bounding box around (lat, lng) holding every point within `metres`: the index's prefilter. */
function box(lat: number, lng: number, metres: number) {
  const dLat = metres / METRES_PER_DEGREE;
  const dLng = metres / (METRES_PER_DEGREE * Math.max(Math.cos((lat * Math.PI) / 180), 0.01));
  return { latLo: lat - dLat, latHi: lat + dLat, lngLo: lng - dLng, lngHi: lng + dLng };
}

@QueryHandler(FindIncidentQuery)
export class FindIncidentHandler implements IQueryHandler<FindIncidentQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ incidentId, partnerships }: FindIncidentQuery): Promise<IncidentRecord | undefined> {
    const { dataSource } = this.readModels;
    const incident = await dataSource.getRepository(IncidentPointEntity).findOneBy({ id: incidentId });
    if (!incident || !partnerships.includes(incident.partnership)) return undefined;
    const { lat, lng } = incident;
    const problems = dataSource
      .getRepository(ProblemEntity)
      .createQueryBuilder('p')
      .where('p.partnership = :partnership', { partnership: incident.partnership })
      .andWhere("p.status = 'open'")
      .andWhere('p.category = :category', { category: incident.category });
    if (lat !== null && lng !== null) {
      const distance = distanceSql('p', ':lat', ':lng');
      problems
        .andWhere(
          new Brackets((near) => {
            near.where('p.areaCode = :areaCode', { areaCode: incident.areaCode ?? '' });
            near.orWhere(`(p.lat BETWEEN :latLo AND :latHi AND p.lng BETWEEN :lngLo AND :lngHi AND ${distance} <= :metres)`, {
              ...box(lat, lng, SUGGESTED_PROBLEM_METRES),
              metres: SUGGESTED_PROBLEM_METRES,
            });
          }),
        )
        .setParameters({ lat, lng })
        .orderBy(`${distance}`, 'ASC', 'NULLS LAST');
    } else {
      if (incident.areaCode === null) return { incident, suggestions: { problems: [], duplicates: [] } };
      problems.andWhere('p.areaCode = :areaCode', { areaCode: incident.areaCode });
    }
    const found = await problems.addOrderBy('p.raisedAt', 'DESC').addOrderBy('p.id', 'ASC').limit(20).getMany();
    const duplicates =
      lat === null || lng === null
        ? []
        : await dataSource
            .getRepository(IncidentPointEntity)
            .createQueryBuilder('i')
            .where('i.partnership = :partnership', { partnership: incident.partnership })
            .andWhere('i.id <> :id', { id: incident.id })
            .andWhere('i.category = :category', { category: incident.category })
            .andWhere("i.status <> 'withdrawn'")
            .andWhere('i.lat BETWEEN :latLo AND :latHi AND i.lng BETWEEN :lngLo AND :lngHi', box(lat, lng, DUPLICATE_METRES))
            .andWhere(`${distanceSql('i', ':lat', ':lng')} <= :metres`, { lat, lng, metres: DUPLICATE_METRES })
            .andWhere(`i.occurredAt BETWEEN CAST(:at AS timestamptz) - interval '${DUPLICATE_HOURS} hours' AND CAST(:at AS timestamptz) + interval '${DUPLICATE_HOURS} hours'`, {
              at: incident.occurredAt.toISOString(),
            })
            .orderBy('abs(extract(epoch FROM i.occurredAt - CAST(:at AS timestamptz)))', 'ASC')
            .addOrderBy('i.id', 'ASC')
            .limit(20)
            .getMany();
    return { incident, suggestions: { problems: found, duplicates } };
  }
}

export interface ProblemIncidents {
  count: number;
  /** Linked incidents by ISO week of their occurrence in the zone (month precision: in `count` only), oldest first. */
  byWeek: { week: string; count: number }[];
}

/** The incidents linked to a problem: how many, and by week in `timeZone`. */
export class ProblemIncidentsQuery extends Query<ProblemIncidents> {
  constructor(
    readonly problemId: string,
    readonly timeZone: string,
  ) {
    super();
  }
}

@QueryHandler(ProblemIncidentsQuery)
export class ProblemIncidentsHandler implements IQueryHandler<ProblemIncidentsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ problemId, timeZone }: ProblemIncidentsQuery): Promise<ProblemIncidents> {
    const rows = await this.readModels.dataSource
      .getRepository(IncidentPointEntity)
      .createQueryBuilder('i')
      .select(['i.occurredAt', 'i.precision', 'i.occurredOn'])
      .where('i.problemId = :problemId', { problemId })
      .andWhere("i.status = 'linked'")
      .getMany();
    const weeks = new Map<string, number>();
    for (const row of rows) {
      if (row.precision === 'month') continue;
      // A date (day precision) is in the week of the date it names, whatever the zone.
      const monday = row.precision === 'exact' ? weekStartOf(row.occurredAt.getTime(), timeZone) : weekStartOfDate(row.occurredOn);
      weeks.set(monday, (weeks.get(monday) ?? 0) + 1);
    }
    return {
      count: rows.length,
      byWeek: [...weeks]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([monday, count]) => ({ week: isoWeekKey(monday), count })),
    };
  }
}

/** Counted incidents (not withdrawn or duplicates) per area code that occurred in [from, to), optionally of one category. */
export class AreaIncidentCountsQuery extends Query<Map<string, number>> {
  constructor(readonly request: { partnerships: readonly string[]; category?: string; fromMs: number | null; toMs: number }) {
    super();
  }
}

@QueryHandler(AreaIncidentCountsQuery)
export class AreaIncidentCountsHandler implements IQueryHandler<AreaIncidentCountsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ request }: AreaIncidentCountsQuery): Promise<Map<string, number>> {
    const rows: { area_code: string; n: string }[] = await this.readModels.dataSource.query(
      `SELECT area_code, count(*) AS n FROM incident_points
        WHERE partnership = ANY($1::text[]) AND area_code IS NOT NULL AND status <> ALL($2::text[])
          AND ($3::text IS NULL OR category = $3) AND ($4::timestamptz IS NULL OR occurred_at >= $4) AND occurred_at < $5
        GROUP BY area_code`,
      [
        request.partnerships,
        UNCOUNTED_STATUSES,
        request.category ?? null,
        request.fromMs === null ? null : new Date(request.fromMs).toISOString(),
        new Date(request.toMs).toISOString(),
      ],
    );
    return new Map(rows.map((row) => [row.area_code, Number(row.n)]));
  }
}
