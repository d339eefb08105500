import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { In } from 'typeorm';
import type { ReadModels } from '../read-models';
import { READ_MODELS } from '../query-sources';
import { AgencyEntity, AreaEntity, TaskingGroupEntity, TaskingGroupScheduleEntity } from './reference.entities';

/** Agencies (shared by every partnership) by code: up to `limit + 1` rows after the code `after`. */
export class FindAgenciesQuery extends Query<AgencyEntity[]> {
  constructor(
    readonly limit: number,
    readonly after: string | undefined,
  ) {
    super();
  }
}

@QueryHandler(FindAgenciesQuery)
export class FindAgenciesHandler implements IQueryHandler<FindAgenciesQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ limit, after }: FindAgenciesQuery) {
    const qb = this.readModels.dataSource.getRepository(AgencyEntity).createQueryBuilder('a').orderBy('a.code').limit(limit + 1);
    if (after !== undefined) qb.where('a.code > :after', { after });
    return qb.getMany();
  }
}

/** A (code, partnership) keyset position: codes are per partnership, a caller of several may see one code twice. */
export type CodeKey = readonly [code: string, partnership: string];

/** Tasking groups of `partnerships` by code, then partnership: up to `limit + 1` rows. */
export class FindGroupsQuery extends Query<TaskingGroupEntity[]> {
  constructor(
    readonly partnerships: readonly string[],
    readonly limit: number,
    readonly after: CodeKey | undefined,
  ) {
    super();
  }
}

/** Areas of `partnerships` by code, then partnership: up to `limit + 1` rows. */
export class FindAreasQuery extends Query<AreaEntity[]> {
  constructor(
    readonly partnerships: readonly string[],
    readonly limit: number,
    readonly after: CodeKey | undefined,
  ) {
    super();
  }
}

function byCode<E extends TaskingGroupEntity | AreaEntity>(readModels: ReadModels, entity: new () => E, { partnerships, limit, after }: FindGroupsQuery | FindAreasQuery) {
  const qb = readModels.dataSource
    .getRepository(entity)
    .createQueryBuilder('r')
    .where('r.partnership IN (:...partnerships)', { partnerships })
    .orderBy('r.code')
    .addOrderBy('r.partnership')
    .limit(limit + 1);
  if (after) qb.andWhere('(r.code, r.partnership) > (:code, :partnership)', { code: after[0], partnership: after[1] });
  return qb.getMany();
}

@QueryHandler(FindGroupsQuery)
export class FindGroupsHandler implements IQueryHandler<FindGroupsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute(query: FindGroupsQuery) {
    return byCode(this.readModels, TaskingGroupEntity, query);
  }
}

@QueryHandler(FindAreasQuery)
export class FindAreasHandler implements IQueryHandler<FindAreasQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute(query: FindAreasQuery) {
    return byCode(this.readModels, AreaEntity, query);
  }
}

/** The schedules and members of the groups whose row ids are `ids`, by id (groups that set neither have none). */
export class GroupSchedulesQuery extends Query<Map<string, TaskingGroupScheduleEntity>> {
  constructor(readonly ids: readonly string[]) {
    super();
  }
}

@QueryHandler(GroupSchedulesQuery)
export class GroupSchedulesHandler implements IQueryHandler<GroupSchedulesQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ ids }: GroupSchedulesQuery) {
    const rows = ids.length === 0 ? [] : await this.readModels.dataSource.getRepository(TaskingGroupScheduleEntity).findBy({ id: In([...ids]) });
    return new Map(rows.map((row) => [row.id, row]));
  }
}
