import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EventStore, RecordedEvent } from '@tasking/event-store';
import type { ReadModels } from '../read-models';
import { EVENT_LOG, READ_MODELS, type TimeIdKey } from '../query-sources';
import { timeIdPage } from '../time-id-page';
import { problemAsAt, problemHistory, type ProblemAsAt } from './problem-events';
import { ActionEntity, InterventionEntity, ProblemEntity, ProblemSubjectEntity } from './problems.entities';
import { AREAS_NAMED, problemSearchMatch } from './search';

/** Open actions (unclaimed, claimed or declined) of a problem, and those of them due at `now` or earlier. */
export interface ActionCounts {
  openActions: number;
  overdueActions: number;
}

export interface ProblemFilters {
  areaCode?: string;
  category?: string;
  status?: 'open' | 'closed';
  priority?: string;
  groupCode?: string;
  /** Full-text search over titles, descriptions and areas (`search.ts`). */
  q?: string;
}

/** Problems of `partnerships`, newest raised first: up to `limit + 1` rows (one more says a page follows), with their action counts at `now`. */
export class FindProblemsQuery extends Query<{ rows: ProblemEntity[]; counts: Map<string, ActionCounts> }> {
  constructor(
    readonly partnerships: readonly string[],
    readonly filters: ProblemFilters,
    readonly limit: number,
    readonly after: TimeIdKey | undefined,
    readonly now: Date,
  ) {
    super();
  }
}

@QueryHandler(FindProblemsQuery)
export class FindProblemsHandler implements IQueryHandler<FindProblemsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ partnerships, filters, limit, after, now }: FindProblemsQuery) {
    const qb = timeIdPage(this.readModels, ProblemEntity, 'p', { partnerships, order: { column: 'raisedAt', direction: 'DESC' }, limit, after });
    if (filters.areaCode) qb.andWhere('p.areaCode = :areaCode', { areaCode: filters.areaCode });
    if (filters.category) qb.andWhere('p.category = :category', { category: filters.category });
    if (filters.status) qb.andWhere('p.status = :status', { status: filters.status });
    if (filters.priority) qb.andWhere('p.priority = :priority', { priority: filters.priority });
    if (filters.groupCode) qb.andWhere('p.groupCode = :groupCode', { groupCode: filters.groupCode });
    if (filters.q !== undefined) {
      const named: { code: string }[] = await this.readModels.dataSource.query(AREAS_NAMED, [partnerships, filters.q]);
      const areaCodes = named.map((area) => area.code);
      qb.andWhere(problemSearchMatch('p', 'q', areaCodes.length > 0 ? 'areaCodes' : undefined), { q: filters.q, areaCodes });
    }
    const rows = await qb.getMany();
    const counts = await this.actionCounts(
      rows.slice(0, limit).map((p) => p.id),
      now,
    );
    return { rows, counts };
  }

  private async actionCounts(problemIds: readonly string[], now: Date): Promise<Map<string, ActionCounts>> {
    if (problemIds.length === 0) return new Map();
    const rows: { problem_id: string; open: string; overdue: string }[] = await this.readModels.dataSource.query(
      `SELECT problem_id, count(*) AS open, count(*) FILTER (WHERE due_by <= $2) AS overdue
         FROM actions WHERE problem_id = ANY($1::uuid[]) AND status IN ('unclaimed', 'claimed', 'declined') GROUP BY problem_id`,
      [problemIds, now],
    );
    return new Map(rows.map((r) => [r.problem_id, { openActions: Number(r.open), overdueActions: Number(r.overdue) }]));
  }
}

/** A problem as the read model holds it now, with its actions, interventions and subjects (one snapshot); undefined when unknown. */
export class FindProblemQuery extends Query<
  { problem: ProblemEntity; actions: ActionEntity[]; interventions: InterventionEntity[]; subjects: ProblemSubjectEntity[] } | undefined
> {
  constructor(readonly problemId: string) {
    super();
  }
}

@QueryHandler(FindProblemQuery)
export class FindProblemHandler implements IQueryHandler<FindProblemQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ problemId: id }: FindProblemQuery) {
    return this.readModels.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const problem = await tx.findOneBy(ProblemEntity, { id });
      if (!problem) return undefined;
      const actions = await tx.find(ActionEntity, { where: { problemId: id }, order: { assignedAt: 'ASC', id: 'ASC' } });
      const interventions = await tx.find(InterventionEntity, { where: { problemId: id }, order: { occurredAt: 'ASC', id: 'ASC' } });
      const subjects = await tx.find(ProblemSubjectEntity, { where: { problemId: id }, order: { addedAt: 'ASC', id: 'ASC' } });
      return { problem, actions, interventions, subjects };
    });
  }
}

/** The problem row alone (who may see it: its partnership); null when unknown. */
export class FindProblemRowQuery extends Query<ProblemEntity | null> {
  constructor(readonly problemId: string) {
    super();
  }
}

@QueryHandler(FindProblemRowQuery)
export class FindProblemRowHandler implements IQueryHandler<FindProblemRowQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ problemId }: FindProblemRowQuery) {
    return this.readModels.dataSource.getRepository(ProblemEntity).findOneBy({ id: problemId });
  }
}

/** The problem's audit trail from the log (its and its actions' events in log order; empty when unknown). */
export class ProblemHistoryQuery extends Query<RecordedEvent[]> {
  constructor(readonly problemId: string) {
    super();
  }
}

@QueryHandler(ProblemHistoryQuery)
export class ProblemHistoryHandler implements IQueryHandler<ProblemHistoryQuery> {
  constructor(@Inject(EVENT_LOG) private readonly store: EventStore) {}

  execute({ problemId }: ProblemHistoryQuery) {
    return problemHistory(this.store, problemId);
  }
}

/** The problem as it stood at `asAt`, folded from its history (returned too: who may see its subjects is read from it). */
export class ProblemAsAtQuery extends Query<{ history: RecordedEvent[]; found: ProblemAsAt | undefined }> {
  constructor(
    readonly problemId: string,
    readonly asAt: Date,
  ) {
    super();
  }
}

@QueryHandler(ProblemAsAtQuery)
export class ProblemAsAtHandler implements IQueryHandler<ProblemAsAtQuery> {
  constructor(
    @Inject(EVENT_LOG) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
  ) {}

  async execute({ problemId, asAt }: ProblemAsAtQuery) {
    const history = await problemHistory(this.store, problemId);
    return { history, found: await problemAsAt(this.store, this.readModels.dataSource, problemId, asAt, history) };
  }
}
