import { Get, Inject, Query } from '@nestjs/common';
import { QueryBus, type Query as ReadQuery } from '@nestjs/cqrs';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { PROBLEM_CATEGORIES, TACTIC_CATEGORIES, TACTIC_TAXONOMY, dateIn } from '@tasking/domain';
import { FindAgenciesQuery, FindAreasQuery, FindGroupsQuery, FindSourcesQuery, GroupSchedulesQuery, UpcomingMeetingsQuery, type CodeKey } from '@tasking/projections';
import { CONFIG } from '@tasking/runtime';
import { CLOCK, type Clock, type Config } from '@tasking/shared';
import { IsPartnershipCode, Optional } from '../../commands/request-validation';
import { ReadsProjections } from '../read-your-writes';
import { DEFAULT_LIMIT, PageQuery, QueryController, decodeCursor, queryInstant, toPage, visiblePartnerships } from '../query-support';
import { agencyView, areaView, groupView, open311SourceView, sourceView } from '../views';

export class PartnershipPageQuery extends PageQuery {
  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}

export class PartnershipQuery {
  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}

/** Agencies (shared by every partnership), tasking groups and areas (the caller's partnerships), categories and tactics. */
@QueryController('v1', 'reference-data')
export class ReferenceController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('agencies')
  async agencies(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor, 1);
    const rows = await this.queries.execute(new FindAgenciesQuery(limit, after?.[0]));
    // The URLs are not secrets, but only admins, who set them, need them: those of their partnerships.
    const admin = principal.roles.includes('admin') ? { partnerships: principal.partnerships, defaultPartnership: this.config.defaultPartnership } : undefined;
    return toPage(rows, limit, (a) => [a.code], (a) => agencyView(a, admin));
  }

  /** Each group with its schedule, members and next meeting (`groupView`), as of today in TIME_ZONE. */
  @Get('groups')
  @ReadsProjections('reference-data', 'meetings')
  async groups(@CurrentPrincipal() principal: Principal, @Query() query: PartnershipPageQuery) {
    const today = dateIn(this.clock.now().getTime(), this.config.timeZone);
    const page = await this.byCode(principal, query, (partnerships, limit, after) => new FindGroupsQuery(partnerships, limit, after), (g) => g);
    const partnerships = [...new Set(page.items.map((g) => g.partnership))];
    const codes = [...new Set(page.items.map((g) => g.code))];
    const upcoming = await this.queries.execute(new UpcomingMeetingsQuery(partnerships, codes, queryInstant(today, this.config.timeZone)));
    const plans = await this.queries.execute(new GroupSchedulesQuery(page.items.map((g) => g.id)));
    return { ...page, items: page.items.map((g) => groupView(g, plans.get(g.id), upcoming.get(`${g.partnership}.${g.code}`), today)) };
  }

  @Get('areas')
  async areas(@CurrentPrincipal() principal: Principal, @Query() query: PartnershipPageQuery) {
    return this.byCode(principal, query, (partnerships, limit, after) => new FindAreasQuery(partnerships, limit, after), areaView);
  }

  /** The sources of incidents of the caller's partnerships: the registered ones and each partnership's built-in `open311`, by partnership then code. */
  @Get('sources')
  @Roles('inspector', 'manager', 'admin')
  async sources(@CurrentPrincipal() principal: Principal, @Query() query: PartnershipQuery) {
    const partnerships = visiblePartnerships(principal, query.partnership);
    const registered = await this.queries.execute(new FindSourcesQuery(partnerships));
    const items = [...partnerships]
      .sort()
      .flatMap((partnership) =>
        [open311SourceView(partnership), ...registered.filter((s) => s.partnership === partnership).map((s) => sourceView(s))].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
      );
    return { items, nextCursor: null };
  }

  @Get('categories')
  categories() {
    return { items: PROBLEM_CATEGORIES.map((code) => ({ code })), nextCursor: null };
  }

  @Get('tactics')
  tactics() {
    return {
      items: TACTIC_CATEGORIES.map((category) => ({ category, names: [...TACTIC_TAXONOMY[category]] })),
      nextCursor: null,
    };
  }

  private async byCode<E extends { code: string; partnership: string }, V>(
    principal: Principal,
    query: PartnershipPageQuery,
    find: (partnerships: string[], limit: number, after: CodeKey | undefined) => ReadQuery<E[]>,
    view: (row: E) => V,
  ) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    // Group codes are per partnership: a caller of several partnerships may see one code twice.
    const after = decodeCursor(query.cursor, 2) as CodeKey | undefined;
    const partnerships = visiblePartnerships(principal, query.partnership);
    if (partnerships.length === 0) return { items: [], nextCursor: null };
    const rows = await this.queries.execute(find(partnerships, limit, after));
    return toPage(rows, limit, (row) => [row.code, row.partnership], view);
  }
}
