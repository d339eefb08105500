import { Get, Header, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CurrentPrincipal, type Principal } from '@tasking/auth';
import { ANALYTICS_PROJECTION, AreaPositionsQuery, HotspotCaseloadsQuery } from '@tasking/projections';
import { CLOCK, type Clock, type Config } from '@tasking/shared';
import { CONFIG } from '@tasking/runtime';
import { DEFAULT_LIMIT, QueryController } from '../query-support';
import { HotspotsGeoJsonQuery, HotspotsQuery } from './analytics-queries.dto';
import { analyticsScope, decodeOffset, encodeOffset, resolveWindow } from './analytics-support';

/**
 * Hotspot caseloads per area, highest score first. Areas appear when they have an open problem or
 * action, or a problem raised or closed in the window. Overdue actions are counted at request
 * time (open and now >= dueBy); everything else comes from the analytics projection.
 */
@QueryController('v1', ANALYTICS_PROJECTION)
export class HotspotsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('hotspots')
  async hotspots(@CurrentPrincipal() principal: Principal, @Query() query: HotspotsQuery) {
    const now = this.clock.now();
    const window = resolveWindow(query, this.config.timeZone, now);
    const partnerships = analyticsScope(principal, query.partnership);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = decodeOffset(query.cursor);
    const all = await this.queries.execute(new HotspotCaseloadsQuery({ partnerships, category: query.category, ...window, nowMs: now.getTime() }));
    return { items: all.slice(offset, offset + limit), nextCursor: encodeOffset(offset + limit < all.length ? offset + limit : undefined) };
  }

  /** The same as a GeoJSON FeatureCollection: a Point per area at its registered centroid, else the mean of its problems' coordinates (no position known: null geometry). */
  @Get('hotspots.geojson')
  @Header('content-type', 'application/geo+json; charset=utf-8')
  async geojson(@CurrentPrincipal() principal: Principal, @Query() query: HotspotsGeoJsonQuery) {
    const now = this.clock.now();
    const window = resolveWindow(query, this.config.timeZone, now);
    const partnerships = analyticsScope(principal, query.partnership);
    const [items, positions] = await Promise.all([
      this.queries.execute(new HotspotCaseloadsQuery({ partnerships, category: query.category, ...window, nowMs: now.getTime() })),
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
}
