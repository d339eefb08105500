import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IsIn } from 'class-validator';
import { In } from 'typeorm';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { ActionEntity, ProblemEntity, type ReadModels } from '@tasking/projections';
import { ApiError, CLOCK, type Clock } from '@tasking/shared';
import { READ_MODELS } from '@tasking/runtime';
import { IsAgencyCode, IsPartnershipCode, IsUuidString, Optional, UuidParam } from '../../commands/request-validation';
import { ReadsProjections } from '../read-your-writes';
import { DEFAULT_LIMIT, IsListOf, PageQuery, READER_ROLES, decodeTimeIdCursor, notFound, toPage, visiblePartnerships } from '../query-support';
import { actionView, problemContext } from '../views';

export const ACTION_STATUSES = ['unclaimed', 'claimed', 'declined', 'discharged', 'cancelled'] as const;
const OPEN = ['unclaimed', 'claimed', 'declined'];

export class ListActionsQuery extends PageQuery {
  @Optional()
  @IsAgencyCode()
  agency?: string;

  /** One status, or several separated by commas (`unclaimed,claimed`: the open work an officer can act on). */
  @Optional()
  @IsListOf(ACTION_STATUSES)
  status?: string;

  /** `me`: the actions whose claim the caller holds (or held, when they went on to discharge them). */
  @Optional()
  @IsIn(['me'])
  claimedBy?: 'me';

  /** `true`: open actions at or past their due date now; `false`: the others. */
  @Optional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @Optional()
  @IsUuidString()
  problemId?: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}

/** Those who see every agency's work queue; an officer alone sees their own agency's. */
const SEE_ALL_QUEUES = ['inspector', 'manager', 'admin'] as const;

@Controller('v1/actions')
@Roles(...READER_ROLES)
@ReadsProjections('problems')
export class ActionsController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The work queue: soonest due first. */
  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListActionsQuery) {
    let agency = query.agency;
    if (!SEE_ALL_QUEUES.some((role) => principal.roles.includes(role))) {
      if (agency !== undefined && agency !== principal.agency) {
        throw new ApiError('WRONG_AGENCY', `officers see only their own agency's work queue (${principal.agency}), not ${agency}'s`);
      }
      agency = principal.agency;
    }
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeTimeIdCursor(query.cursor);
    const partnerships = visiblePartnerships(principal, query.partnership);
    if (partnerships.length === 0) return { items: [], nextCursor: null };
    const now = this.clock.now();
    const qb = this.readModels.dataSource
      .getRepository(ActionEntity)
      .createQueryBuilder('a')
      .where('a.partnership IN (:...partnerships)', { partnerships })
      .orderBy('a.dueBy', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .limit(limit + 1);
    if (agency) qb.andWhere('a.agency = :agency', { agency });
    if (query.status) qb.andWhere('a.status IN (:...statuses)', { statuses: query.status.split(',') });
    if (query.claimedBy === 'me') qb.andWhere('a.claimedByUserId = :me', { me: principal.userId });
    if (query.problemId) qb.andWhere('a.problemId = :problemId', { problemId: query.problemId });
    if (query.overdue === 'true') qb.andWhere('a.status IN (:...open) AND a.dueBy <= :now', { open: OPEN, now });
    if (query.overdue === 'false') qb.andWhere('NOT (a.status IN (:...open) AND a.dueBy <= :now)', { open: OPEN, now });
    if (after) qb.andWhere('(a.dueBy, a.id) > (CAST(:afterDue AS timestamptz), CAST(:afterId AS uuid))', { afterDue: after[0], afterId: after[1] });
    const rows = await qb.getMany();
    const problems = await this.problemsOf(rows);
    return toPage(rows, limit, (a) => [a.dueBy.toISOString(), a.id], (a) => ({ ...actionView(a, now), problem: problemContext(problems.get(a.problemId)) }));
  }

  /** One action; `ETag` is its revision. */
  @Get(':id')
  async detail(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const action = await this.readModels.dataSource.getRepository(ActionEntity).findOneBy({ id });
    if (!action || !principal.partnerships.includes(action.partnership)) throw notFound('action', id);
    void reply.header('etag', `"${action.revision}"`);
    const problems = await this.problemsOf([action]);
    return { ...actionView(action, this.clock.now()), problem: problemContext(problems.get(action.problemId)) };
  }

  /** The problems the actions belong to (same partnership as each action), for their title, category and area. */
  private async problemsOf(actions: readonly ActionEntity[]): Promise<Map<string, ProblemEntity>> {
    const ids = [...new Set(actions.map((a) => a.problemId))];
    if (ids.length === 0) return new Map();
    const problems = await this.readModels.dataSource.getRepository(ProblemEntity).findBy({ id: In(ids) });
    return new Map(problems.map((p) => [p.id, p]));
  }
}
