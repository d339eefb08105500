import { Get, Header, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CurrentPrincipal, type Principal } from '@tasking/auth';
import { ANALYTICS_PROJECTION, AreaIncidentCountsQuery, AreaPositionsQuery, HotspotCaseloadsQuery, type HotspotsRequest } from '@tasking/projections';
import { DEFAULT_LIMIT, QueryController } from '../query-support';
import { HotspotsGeoJsonQuery, HotspotsQuery } from './analytics-queries.dto';
import { AnalyticsScopes, decodeOffset, encodeOffset } from './analytics-support';

/**
 * Hotspot caseloads per area, highest score first. Areas appear when they have an open problem or
 * action, or a problem raised or closed in the window. Overdue actions are counted at request
 * time (open and now >= dueBy); `incidents` (those that occurred in the window, not withdrawn or
 * duplicates) from the incidents projection; everything else from the analytics projection.
 */
@QueryController('v1', ANALYTICS_PROJECTION, 'incidents')
export class HotspotsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly scopes: AnalyticsScopes,
  ) {}

  @Get('hotspots')
  async hotspots(@CurrentPrincipal() principal: Principal, @Query() query: HotspotsQuery) {
    const { window, partnerships, now } = this.scopes.of(principal, query);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = decodeOffset(query.cursor);
    const all = await this.caseloads({ partnerships, category: query.category, ...window, nowMs: now.getTime() });
    return { items: all.slice(offset, offset + limit), nextCursor: encodeOffset(offset + limit < all.length ? offset + limit : undefined) };
  }

  /** The same as a GeoJSON FeatureCollection: a Point per area at its registered centroid, else the mean of its problems' coordinates (no position known: null geometry). */
  @Get('hotspots.geojson')
  @Header('content-type', 'application/geo+json; charset=utf-8')
  async geojson(@CurrentPrincipal() principal: Principal, @Query() query: HotspotsGeoJsonQuery) {
    const { window, partnerships, now } = this.scopes.of(principal, query);
    const [items, positions] = await Promise.all([
      this.caseloads({ partnerships, category: query.category, ...window, nowMs: now.getTime() }),
      this.queries.execute(new AreaPositionsQuery(partnerships)),
    ]);
    return {
      type: 'FeatureCollection',
      features: items.slice(0, query.limit ?? items.length).map((item) => {
        const position = positions.get(item.areaCode);
        return {
          type: 'Feature',
          id: item.areaCode,
          geometry: position ? { type: 'Point', coordinates: [position.lng, position.lat] } : null,
          properties: item,
        };
      }),
    };
  }

  /** The caseloads, each area with its incidents in the window. */
  private async caseloads(request: HotspotsRequest) {
    const [items, incidents] = await Promise.all([this.queries.execute(new HotspotCaseloadsQuery(request)), this.queries.execute(new AreaIncidentCountsQuery(request))]);
    return items.map((item) => ({ ...item, incidents: incidents.get(item.areaCode) ?? 0 }));
  }
}
