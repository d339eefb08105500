import { Get, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { IsIn } from 'class-validator';
import { CurrentPrincipal, type Principal } from '@tasking/auth';
import { FindActionQuery, FindActionsQuery } from '@tasking/projections';
import { ApiError, CLOCK, type Clock } from '@tasking/shared';
import { IsAgencyCode, IsPartnershipCode, IsUuidString, Optional, UuidParam } from '../../commands/request-validation';
import { DEFAULT_LIMIT, IsListOf, PageQuery, decodeTimeIdCursor, notFound, toPage, visiblePartnerships, QueryController } from '../query-support';
import { actionView, problemContext } from '../views';

export const ACTION_STATUSES = ['unclaimed', 'claimed', 'declined', 'discharged', 'cancelled'] as const;

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

@QueryController('v1/actions', 'problems')
export class ActionsController {
  constructor(
    private readonly queries: QueryBus,
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
    const filters = {
      agency,
      statuses: query.status?.split(','),
      claimedByUserId: query.claimedBy === 'me' ? principal.userId : undefined,
      problemId: query.problemId,
      overdue: query.overdue === undefined ? undefined : query.overdue === 'true',
    };
    const { rows, problems } = await this.queries.execute(new FindActionsQuery(partnerships, filters, limit, after, now));
    return toPage(rows, limit, (a) => [a.dueBy.toISOString(), a.id], (a) => ({ ...actionView(a, now), problem: problemContext(problems.get(a.problemId)) }));
  }

  /** One action; `ETag` is its revision. */
  @Get(':id')
  async detail(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const found = await this.queries.execute(new FindActionQuery(id));
    if (!found || !principal.partnerships.includes(found.action.partnership)) throw notFound('action', id);
    void reply.header('etag', `"${found.action.revision}"`);
    return { ...actionView(found.action, this.clock.now()), problem: problemContext(found.problem) };
  }
}
