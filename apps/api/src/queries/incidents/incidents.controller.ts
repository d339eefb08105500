import { Readable } from 'node:stream';
import { Controller, Get, Header, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { INCIDENT_CHANNELS, PROBLEM_CATEGORIES } from '@tasking/domain';
import {
  DEFAULT_BASELINE_WEEKS,
  DEFAULT_RECENT_WEEKS,
  EmergingHotspotsQuery,
  FindIncidentQuery,
  FindIncidentsQuery,
  GRANULARITIES,
  INCIDENT_STATUSES,
  type Granularity,
  type IncidentFilters,
  type IncidentPointEntity,
  type IncidentStatus,
  type TimeIdKey,
} from '@tasking/projections';
import { CONFIG } from '@tasking/runtime';
import { CLOCK, type Clock, type Config } from '@tasking/shared';
import { IsIsoTime, IsPartnershipCode, IsPlaceCode, Optional, UuidParam } from '../../commands/request-validation';
import { csvRow } from '../analytics/csv';
import { analyticsScope } from '../analytics/analytics-support';
import { ReadsProjections } from '../read-your-writes';
import { DEFAULT_LIMIT, IsListOf, PageLimit, PageQuery, decodeTimeIdCursor, notFound, queryInstant, toPage, visiblePartnerships } from '../query-support';
import { problemSummary } from '../views';

export class ListIncidentsQuery extends PageQuery {
  /** One or more statuses, comma-separated; absent: every status but withdrawn. */
  @Optional()
  @IsListOf(INCIDENT_STATUSES)
  status?: string;

  @Optional()
  @IsIn(['true', 'false'])
  unmapped?: 'true' | 'false';

  @Optional()
  @IsPlaceCode()
  areaCode?: string;

  @Optional()
  @IsIn(PROBLEM_CATEGORIES)
  category?: string;

  @Optional()
  @IsPlaceCode()
  source?: string;

  @Optional()
  @IsIn(INCIDENT_CHANNELS)
  channel?: string;

  /** Occurred at or after (ISO 8601 with offset, or a date: local midnight). */
  @Optional()
  @IsIsoTime()
  from?: string;

  /** Occurred before. */
  @Optional()
  @IsIsoTime()
  to?: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;

  @Optional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** The largest map a GeoJSON page holds. */
export const GEOJSON_MAX_FEATURES = 10_000;

export class IncidentsGeoJsonQuery extends ListIncidentsQuery {
  /** Features per page: 1..10,000, default 1,000. */
  @PageLimit(GEOJSON_MAX_FEATURES)
  declare limit?: number;
}

export class EmergingHotspotsRequestQuery {
  @Optional()
  @IsIn(PROBLEM_CATEGORIES)
  category?: string;

  /** Complete ISO weeks in the recent window: 1..26, default 4. */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(26)
  recentWeeks?: number;

  /** Complete ISO weeks before it in the baseline: 4..260, default 52. */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(4)
  @Max(260)
  baselineWeeks?: number;

  /** `month`: the last complete month against the 12 before it (for month-precision sources). */
  @Optional()
  @IsIn(GRANULARITIES)
  granularity?: Granularity;

  /** Narrows to one of the caller's partnerships (one the caller does not hold: 404). */
  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}

const CSV_PAGE = 2000;
const CSV_COLUMNS = ['id', 'partnership', 'channel', 'source', 'category', 'sourceCategory', 'status', 'unmapped', 'areaCode', 'occurredAt', 'occurredPrecision', 'lat', 'lng', 'problemId'] as const;

/** `occurredAt` as precise as it is known: an instant, a date (`2025-06-17`) or a month (`2025-06`). */
function occurredAt(i: IncidentPointEntity): string {
  return i.precision === 'day' ? i.occurredOn : i.precision === 'month' ? i.occurredOn.slice(0, 7) : i.occurredAt.toISOString();
}

/** An incident as lists show it: no personal field is in the read model to show. */
export function incidentView(i: IncidentPointEntity) {
  return {
    id: i.id,
    partnership: i.partnership,
    channel: i.channel,
    source: i.source,
    category: i.category,
    sourceCategory: i.sourceCategory,
    status: i.status,
    unmapped: i.unmapped,
    areaCode: i.areaCode,
    occurredAt: occurredAt(i),
    occurredPrecision: i.precision,
    lat: i.lat,
    lng: i.lng,
    problemId: i.problemId,
  };
}

const csvCells = (i: IncidentPointEntity) => {
  const v = incidentView(i);
  return [v.id, v.partnership, v.channel, v.source, v.category, v.sourceCategory, v.status, v.unmapped, v.areaCode, v.occurredAt, v.occurredPrecision, v.lat, v.lng, v.problemId];
};

const pageKey = (i: IncidentPointEntity): TimeIdKey => [i.occurredAt.toISOString(), i.id];

/**
 * Incidents for triage and evidence (evidence.md, "Incident read models"): the list (JSON pages or
 * one CSV), the map (GeoJSON), an incident with its suggestions, and emerging hotspots. Inspectors
 * and managers only; nothing personal is read, so no audience rule applies.
 */
@Controller('v1')
@Roles('inspector', 'manager')
export class IncidentsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Latest occurrence first; `?format=csv` streams every matching incident. */
  @Get('incidents')
  @ReadsProjections('incidents')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListIncidentsQuery) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeTimeIdCursor(query.cursor);
    const partnerships = visiblePartnerships(principal, query.partnership);
    const filters = this.filters(query);
    if (query.format === 'csv') return this.csv(partnerships, filters);
    if (partnerships.length === 0) return { items: [], nextCursor: null };
    const rows = await this.queries.execute(new FindIncidentsQuery(partnerships, filters, limit, after));
    return toPage(rows, limit, pageKey, incidentView);
  }

  /** The same incidents as a GeoJSON FeatureCollection of points (incidents without a position left out), a page at a time. */
  @Get('incidents.geojson')
  @ReadsProjections('incidents')
  @Header('content-type', 'application/geo+json; charset=utf-8')
  async geojson(@CurrentPrincipal() principal: Principal, @Query() query: IncidentsGeoJsonQuery) {
    const limit = query.limit ?? 1000;
    const after = decodeTimeIdCursor(query.cursor);
    const partnerships = visiblePartnerships(principal, query.partnership);
    const rows = partnerships.length === 0 ? [] : await this.queries.execute(new FindIncidentsQuery(partnerships, this.filters(query), limit, after));
    const page = toPage(rows, limit, pageKey, (i) => i);
    return {
      type: 'FeatureCollection',
      features: page.items
        .filter((i) => i.lat !== null && i.lng !== null)
        .map((i) => ({ type: 'Feature', id: i.id, geometry: { type: 'Point', coordinates: [i.lng, i.lat] }, properties: incidentView(i) })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Emerging hotspots: (area, category) pairs whose recent incidents rose beyond chance against
   * their baseline (conditional binomial test, Benjamini–Hochberg at 0.05), ranked by q, then ratio.
   */
  @Get('hotspots/emerging')
  @ReadsProjections('incidents', 'problems')
  async emerging(@CurrentPrincipal() principal: Principal, @Query() query: EmergingHotspotsRequestQuery) {
    const partnerships = analyticsScope(principal, query.partnership);
    return this.queries.execute(
      new EmergingHotspotsQuery({
        partnerships,
        category: query.category,
        granularity: query.granularity ?? 'week',
        recentWeeks: query.recentWeeks ?? DEFAULT_RECENT_WEEKS,
        baselineWeeks: query.baselineWeeks ?? DEFAULT_BASELINE_WEEKS,
        now: this.clock.now(),
        timeZone: this.config.timeZone,
      }),
    );
  }

  /** The incident with suggestions: open problems of its category in its area or within 250 m; likely duplicates (50 m, 72 hours). */
  @Get('incidents/:id')
  @ReadsProjections('incidents', 'problems')
  async detail(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) id: string) {
    const record = await this.queries.execute(new FindIncidentQuery(id, principal.partnerships));
    if (!record) throw notFound('incident', id);
    const { incident, suggestions } = record;
    return {
      ...incidentView(incident),
      triage: incident.triage,
      duplicateOf: incident.duplicateOf,
      recordedAt: incident.recordedAt.toISOString(),
      revision: incident.revision,
      suggestions: { problems: suggestions.problems.map(problemSummary), duplicates: suggestions.duplicates.map(incidentView) },
    };
  }

  private filters(query: ListIncidentsQuery): IncidentFilters {
    const { timeZone } = this.config;
    return {
      statuses: query.status ? (query.status.split(',') as IncidentStatus[]) : undefined,
      unmapped: query.unmapped === undefined ? undefined : query.unmapped === 'true',
      areaCode: query.areaCode,
      category: query.category,
      source: query.source,
      channel: query.channel,
      from: query.from ? queryInstant(query.from, timeZone) : undefined,
      to: query.to ? queryInstant(query.to, timeZone) : undefined,
    };
  }

  /** Every matching incident as one CSV, page after page; the first page is read before answering, so a failure is still an error response. */
  private async csv(partnerships: string[], filters: IncidentFilters): Promise<StreamableFile> {
    const read = (after: TimeIdKey | undefined) =>
      partnerships.length === 0 ? Promise.resolve([]) : this.queries.execute(new FindIncidentsQuery(partnerships, filters, CSV_PAGE, after));
    const first = await read(undefined);
    const rows = async function* (): AsyncGenerator<string> {
      yield csvRow(CSV_COLUMNS);
      for (let page = first; ; ) {
        const shown = page.slice(0, CSV_PAGE);
        if (shown.length > 0) yield shown.map((i) => csvRow(csvCells(i))).join('');
        if (page.length <= CSV_PAGE) return;
        page = await read(pageKey(shown[shown.length - 1]!));
      }
    };
    return new StreamableFile(Readable.from(rows()), { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="incidents.csv"' });
  }
}
