import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { IsIn } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { PRIORITIES, PROBLEM_CATEGORIES } from '@tasking/domain';
import { ActionEntity, InterventionEntity, ProblemEntity, ProblemSubjectEntity, type ReadModels } from '@tasking/projections';
import { CONFIG, PERSONAL_DATA, READ_MODELS } from '@tasking/runtime';
import { EVENT_STORE } from '@tasking/application';
import type { EventStore } from '@tasking/event-store';
import type { PersonalData } from '@tasking/personal-data';
import { CLOCK, type Clock, type Config } from '@tasking/shared';
import { audienceFromHistory, historyData, showSubjects, subjectRecord } from '@tasking/personal-data';
import { IsIsoTime, IsPartnershipCode, IsPlaceCode, Optional, UuidParam } from '../../commands/request-validation';
import { ReadsProjections } from '../read-your-writes';
import { DEFAULT_LIMIT, PageQuery, READER_ROLES, decodeCursor, decodeTimeIdCursor, encodeCursor, notFound, queryInstant, toPage, visiblePartnerships } from '../query-support';
import { problemDetail, problemSummary, type ActionCounts } from '../views';
import { problemAsAt, problemHistory, recordedAt } from './problem-events';

export class ListProblemsQuery extends PageQuery {
  @Optional()
  @IsPlaceCode()
  areaCode?: string;

  @Optional()
  @IsIn(PROBLEM_CATEGORIES)
  category?: string;

  @Optional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';

  @Optional()
  @IsIn(PRIORITIES)
  priority?: string;

  @Optional()
  @IsPlaceCode()
  groupCode?: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}

export class ProblemDetailQuery {
  /** As the problem stood then: an ISO 8601 date-time with offset, or a date (local midnight). */
  @Optional()
  @IsIsoTime()
  asAt?: string;
}

@Controller('v1/problems')
@Roles(...READER_ROLES)
@ReadsProjections('problems')
export class ProblemsController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalData,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Newest first, filtered, within the caller's partnerships. */
  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListProblemsQuery) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeTimeIdCursor(query.cursor);
    const partnerships = visiblePartnerships(principal, query.partnership);
    if (partnerships.length === 0) return { items: [], nextCursor: null };
    const qb = this.readModels.dataSource
      .getRepository(ProblemEntity)
      .createQueryBuilder('p')
      .where('p.partnership IN (:...partnerships)', { partnerships })
      .orderBy('p.raisedAt', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit + 1);
    if (query.areaCode) qb.andWhere('p.areaCode = :areaCode', { areaCode: query.areaCode });
    if (query.category) qb.andWhere('p.category = :category', { category: query.category });
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.priority) qb.andWhere('p.priority = :priority', { priority: query.priority });
    if (query.groupCode) qb.andWhere('p.groupCode = :groupCode', { groupCode: query.groupCode });
    if (after) {
      qb.andWhere('(p.raisedAt, p.id) < (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))', { afterAt: after[0], afterId: after[1] });
    }
    const rows = await qb.getMany();
    const counts = await this.actionCounts(rows.slice(0, limit).map((p) => p.id));
    return toPage(rows, limit, (p) => [p.raisedAt.toISOString(), p.id], (p) => ({ ...problemSummary(p), ...(counts.get(p.id) ?? { openActions: 0, overdueActions: 0 }) }));
  }

  /** Open actions (unclaimed, claimed or declined) of each problem, and those of them due now or earlier. */
  private async actionCounts(problemIds: readonly string[]): Promise<Map<string, ActionCounts>> {
    if (problemIds.length === 0) return new Map();
    const rows: { problem_id: string; open: string; overdue: string }[] = await this.readModels.dataSource.query(
      `SELECT problem_id, count(*) AS open, count(*) FILTER (WHERE due_by <= $2) AS overdue
         FROM actions WHERE problem_id = ANY($1::uuid[]) AND status IN ('unclaimed', 'claimed', 'declined') GROUP BY problem_id`,
      [problemIds, this.clock.now()],
    );
    return new Map(rows.map((r) => [r.problem_id, { openActions: Number(r.open), overdueActions: Number(r.overdue) }]));
  }

  /**
   * With its actions and their interventions; `ETag` is the problem's revision. `?asAt=` folds the
   * log up to then. `subjects`: a count by role for everyone, the people themselves only for the
   * problem's own agencies and the partnership's managers (each showing recorded).
   */
  @Get(':id')
  async detail(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Query() query: ProblemDetailQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { readModels, store, clock, config, personalData } = this;
    const history = query.asAt ? await problemHistory(store, id) : undefined;
    const found = history
      ? await problemAsAt(store, readModels.dataSource, id, queryInstant(query.asAt!, config.timeZone), history)
      : await readModels.dataSource.transaction('REPEATABLE READ', async (tx) => {
          const problem = await tx.findOneBy(ProblemEntity, { id });
          if (!problem) return undefined;
          const actions = await tx.find(ActionEntity, { where: { problemId: id }, order: { assignedAt: 'ASC', id: 'ASC' } });
          const interventions = await tx.find(InterventionEntity, { where: { problemId: id }, order: { occurredAt: 'ASC', id: 'ASC' } });
          const subjects = await tx.find(ProblemSubjectEntity, { where: { problemId: id }, order: { addedAt: 'ASC', id: 'ASC' } });
          return { problem, actions, interventions, subjects: subjects.map(subjectRecord) };
        });
    if (!found || !principal.partnerships.includes(found.problem.partnership)) throw notFound('problem', id);
    void reply.header('etag', `"${found.problem.revision}"`);
    const now = query.asAt ? queryInstant(query.asAt, config.timeZone) : clock.now();
    // Who may see the subjects is decided on the problem as it stands now, also for an as-at view.
    // Whether an action gives its agency access depends on who assigned it (the log's metadata):
    // the log is read only when the caller's agency holds one of the actions.
    const holdsAction = found.actions.some((a) => a.agency === principal.agency);
    const audience =
      history || holdsAction
        ? audienceFromHistory(history ?? (await problemHistory(store, id)))!
        : { partnership: found.problem.partnership, raisedByAgency: found.problem.raisedByAgency, actionAgencies: [] };
    const route = query.asAt ? 'GET /v1/problems/:id?asAt' : 'GET /v1/problems/:id';
    const subjects = await showSubjects({ accessLog: personalData.accessLog, clock }, principal, id, found.subjects, audience, route);
    return { ...problemDetail(found.problem, found.actions, found.interventions, now), subjects };
  }

  /** The problem's and its actions' events in log order (the audit trail); subjects' fields only for the problem's audience. */
  @Get(':id/history')
  async history(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) id: string, @Query() query: PageQuery) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor, 1)?.[0];
    const events = await problemHistory(this.store, id);
    const raised = events.find((event) => event.type === 'ProblemRaised');
    if (!raised || !principal.partnerships.includes(String(raised.data['partnership']))) throw notFound('problem', id);
    const rest = after === undefined ? events : events.filter((event) => event.position > after);
    const page = rest.slice(0, limit);
    const { personalData, clock } = this;
    const data = await historyData({ accessLog: personalData.accessLog, clock }, principal, id, page, audienceFromHistory(events)!, 'GET /v1/problems/:id/history');
    return {
      items: page.map((event, i) => ({
        position: event.position,
        stream: event.stream,
        revision: event.revision,
        type: event.type,
        recordedAt: recordedAt(event),
        actor: event.metadata['actor'] ?? null,
        data: data[i],
      })),
      nextCursor: rest.length > limit ? encodeCursor([page[page.length - 1]!.position]) : null,
    };
  }
}
