import { Controller, Get, Inject, Query } from '@nestjs/common';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { PROBLEM_CATEGORIES, TACTIC_CATEGORIES, TACTIC_TAXONOMY } from '@tasking/domain';
import { AgencyEntity, AreaEntity, TaskingGroupEntity, type ReadModels } from '@tasking/projections';
import { CONFIG, READ_MODELS } from '@tasking/runtime';
import type { Config } from '@tasking/shared';
import { IsPartnershipCode, Optional } from '../../commands/request-validation';
import { ReadsProjections } from '../read-your-writes';
import { DEFAULT_LIMIT, PageQuery, READER_ROLES, decodeCursor, toPage, visiblePartnerships } from '../query-support';
import { agencyView, areaView, groupView } from '../views';

export class PartnershipPageQuery extends PageQuery {
  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}

/** Agencies (shared by every partnership), tasking groups and areas (the caller's partnerships), categories and tactics. */
@Controller('v1')
@Roles(...READER_ROLES)
@ReadsProjections('reference-data')
export class ReferenceController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get('agencies')
  async agencies(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor, 1);
    const qb = this.readModels.dataSource.getRepository(AgencyEntity).createQueryBuilder('a').orderBy('a.code').limit(limit + 1);
    if (after) qb.where('a.code > :after', { after: after[0] });
    // The URLs are not secrets, but only admins, who set them, need them: those of their partnerships.
    const admin = principal.roles.includes('admin') ? { partnerships: principal.partnerships, defaultPartnership: this.config.defaultPartnership } : undefined;
    return toPage(await qb.getMany(), limit, (a) => [a.code], (a) => agencyView(a, admin));
  }

  @Get('groups')
  async groups(@CurrentPrincipal() principal: Principal, @Query() query: PartnershipPageQuery) {
    return this.byCode(TaskingGroupEntity, principal, query, groupView);
  }

  @Get('areas')
  async areas(@CurrentPrincipal() principal: Principal, @Query() query: PartnershipPageQuery) {
    return this.byCode(AreaEntity, principal, query, areaView);
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

  private async byCode<E extends TaskingGroupEntity | AreaEntity, V>(
    entity: new () => E,
    principal: Principal,
    query: PartnershipPageQuery,
    view: (row: E) => V,
  ) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    // Group codes are per partnership: a caller of several partnerships may see one code twice.
    const after = decodeCursor(query.cursor, 2);
    const partnerships = visiblePartnerships(principal, query.partnership);
    if (partnerships.length === 0) return { items: [], nextCursor: null };
    const qb = this.readModels.dataSource
      .getRepository(entity)
      .createQueryBuilder('r')
      .where('r.partnership IN (:...partnerships)', { partnerships })
      .orderBy('r.code')
      .addOrderBy('r.partnership')
      .limit(limit + 1);
    if (after) qb.andWhere('(r.code, r.partnership) > (:code, :partnership)', { code: after[0], partnership: after[1] });
    return toPage(await qb.getMany(), limit, (row) => [row.code, row.partnership], view);
  }
}
