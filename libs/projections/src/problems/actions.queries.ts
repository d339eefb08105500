import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { In } from 'typeorm';
import type { ReadModels } from '../read-models';
import { READ_MODELS, type TimeIdKey } from '../query-sources';
import { timeIdPage } from '../time-id-page';
import { ActionEntity, ProblemEntity } from './problems.entities';

const OPEN = ['unclaimed', 'claimed', 'declined'];

export interface ActionFilters {
  agency?: string;
  statuses?: readonly string[];
  /** The actions whose claim this user holds (or held, when they went on to discharge them). */
  claimedByUserId?: string;
  problemId?: string;
  /** true: open and due at `now` or earlier; false: the others. */
  overdue?: boolean;
}

/** The problems of `actions`, by id (for their title, category and area). */
export type ProblemsOf = Map<string, ProblemEntity>;

/** The work queue of `partnerships`, soonest due first: up to `limit + 1` rows (one more says a page follows), with their problems. */
export class FindActionsQuery extends Query<{ rows: ActionEntity[]; problems: ProblemsOf }> {
  constructor(
    readonly partnerships: readonly string[],
    readonly filters: ActionFilters,
    readonly limit: number,
    readonly after: TimeIdKey | undefined,
    readonly now: Date,
  ) {
    super();
  }
}

@QueryHandler(FindActionsQuery)
export class FindActionsHandler implements IQueryHandler<FindActionsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ partnerships, filters, limit, after, now }: FindActionsQuery) {
    const qb = timeIdPage(this.readModels, ActionEntity, 'a', { partnerships, order: { column: 'dueBy', direction: 'ASC' }, limit, after });
    if (filters.agency) qb.andWhere('a.agency = :agency', { agency: filters.agency });
    if (filters.statuses) qb.andWhere('a.status IN (:...statuses)', { statuses: filters.statuses });
    if (filters.claimedByUserId !== undefined) qb.andWhere('a.claimedByUserId = :me', { me: filters.claimedByUserId });
    if (filters.problemId) qb.andWhere('a.problemId = :problemId', { problemId: filters.problemId });
    if (filters.overdue === true) qb.andWhere('a.status IN (:...open) AND a.dueBy <= :now', { open: OPEN, now });
    if (filters.overdue === false) qb.andWhere('NOT (a.status IN (:...open) AND a.dueBy <= :now)', { open: OPEN, now });
    const rows = await qb.getMany();
    return { rows, problems: await problemsOf(this.readModels, rows) };
  }
}

/** One action with its problem; undefined when unknown. */
export class FindActionQuery extends Query<{ action: ActionEntity; problem: ProblemEntity | undefined } | undefined> {
  constructor(readonly actionId: string) {
    super();
  }
}

@QueryHandler(FindActionQuery)
export class FindActionHandler implements IQueryHandler<FindActionQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ actionId }: FindActionQuery) {
    const action = await this.readModels.dataSource.getRepository(ActionEntity).findOneBy({ id: actionId });
    if (!action) return undefined;
    const problems = await problemsOf(this.readModels, [action]);
    return { action, problem: problems.get(action.problemId) };
  }
}

async function problemsOf(readModels: ReadModels, actions: readonly ActionEntity[]): Promise<ProblemsOf> {
  const ids = [...new Set(actions.map((a) => a.problemId))];
  if (ids.length === 0) return new Map();
  const problems = await readModels.dataSource.getRepository(ProblemEntity).findBy({ id: In(ids) });
  return new Map(problems.map((p) => [p.id, p]));
}
