import { Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CurrentPrincipal, type Principal } from '@tasking/auth';
import { ANALYTICS_PROJECTION, TacticSuggestionsQuery, TacticalOptionsLibraryQuery } from '@tasking/projections';
import { DEFAULT_LIMIT, notFound, QueryController } from '../query-support';
import { SuggestionsQuery, TacticalOptionsQuery } from './analytics-queries.dto';
import { analyticsScope, decodeOffset, encodeOffset } from './analytics-support';

const RANKING =
  'tactics of the taxonomy for the problem\'s category: first those used on problems of that category in the same area, ' +
  'then those used in other areas, nearest area centroid first (registered centroid, else the mean of the area\'s problems), ' +
  'then those used only where no position is known, each group by the Wilson lower bound of their success rate; ' +
  'then the tactics never used on that category, in taxonomy order. Nothing is excluded: tactics already used on this problem are marked usedOnThisProblem.';

/** The tactical-options library: what was used against which kind of problem, and how often it was resolved after. */
@QueryController('v1/tactical-options', ANALYTICS_PROJECTION)
export class TacticalOptionsController {
  constructor(private readonly queries: QueryBus) {}

  /** Best Wilson lower bound first; options whose problems are all still open last. */
  @Get()
  async library(@CurrentPrincipal() principal: Principal, @Query() query: TacticalOptionsQuery) {
    const partnerships = analyticsScope(principal, query.partnership);
    const offset = decodeOffset(query.cursor);
    const page = await this.queries.execute(
      new TacticalOptionsLibraryQuery({
        partnerships,
        problemCategory: query.problemCategory,
        q: query.q?.trim() || undefined,
        limit: query.limit ?? DEFAULT_LIMIT,
        offset,
      }),
    );
    return { items: page.items, nextCursor: encodeOffset(page.nextOffset) };
  }

  @Get('suggestions')
  async suggestions(@CurrentPrincipal() principal: Principal, @Query() query: SuggestionsQuery) {
    const partnerships = analyticsScope(principal, query.partnership);
    const result = await this.queries.execute(new TacticSuggestionsQuery(partnerships, query.problemId));
    if (!result) throw notFound('problem', query.problemId);
    const offset = decodeOffset(query.cursor);
    const limit = query.limit ?? DEFAULT_LIMIT;
    return {
      problem: result.problem,
      ranking: RANKING,
      items: result.items.slice(offset, offset + limit),
      nextCursor: encodeOffset(offset + limit < result.items.length ? offset + limit : undefined),
    };
  }
}
