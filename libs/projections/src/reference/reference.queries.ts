import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { In } from 'typeorm';
import type { ReadModels } from '../read-models';
import { READ_MODELS } from '../query-sources';
import type { AreaBoundary } from '@tasking/domain';
import { AgencyEntity, AreaEntity, SourceEntity, TaskingGroupEntity, TaskingGroupScheduleEntity } from './reference.entities';

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

/** The registered sources of `partnerships`, by partnership then code (a partnership registers a handful). */
export class FindSourcesQuery extends Query<SourceEntity[]> {
  constructor(readonly partnerships: readonly string[]) {
    super();
  }
}

@QueryHandler(FindSourcesQuery)
export class FindSourcesHandler implements IQueryHandler<FindSourcesQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ partnerships }: FindSourcesQuery) {
    if (partnerships.length === 0) return Promise.resolve([]);
    return this.readModels.dataSource.getRepository(SourceEntity).find({ where: { partnership: In([...partnerships]) }, order: { partnership: 'ASC', code: 'ASC' } });
  }
}

/** An area as area resolution needs it (`resolveArea` in @tasking/application takes these). */
export type AreaToResolve = { code: string; lsoaCodes: string[]; boundary?: AreaBoundary };

/**
 * Every area of a partnership with its LSOA codes and boundary, for resolving incidents' places.
 * The handler keeps each partnership's list and answers the same array until an area of the
 * partnership changes (a cheap look at codes and revisions each time), so a resolver prepared
 * for that array is reused.
 */
export class PartnershipAreasQuery extends Query<readonly AreaToResolve[]> {
  constructor(readonly partnership: string) {
    super();
  }
}

@QueryHandler(PartnershipAreasQuery)
export class PartnershipAreasHandler implements IQueryHandler<PartnershipAreasQuery> {
  private readonly cache = new Map<string, { signature: string; areas: readonly AreaToResolve[] }>();

  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ partnership }: PartnershipAreasQuery): Promise<readonly AreaToResolve[]> {
    const repository = this.readModels.dataSource.getRepository(AreaEntity);
    const versions = await repository.find({ select: { code: true, revision: true }, where: { partnership }, order: { code: 'ASC' } });
    const signature = versions.map((area) => `${area.code}@${area.revision}`).join(',');
    const cached = this.cache.get(partnership);
    if (cached?.signature === signature) return cached.areas;
    const rows = await repository.find({ select: { code: true, lsoaCodes: true, boundary: true, revision: true }, where: { partnership }, order: { code: 'ASC' } });
    const areas = rows.map((row): AreaToResolve => (row.boundary ? { code: row.code, lsoaCodes: row.lsoaCodes, boundary: row.boundary } : { code: row.code, lsoaCodes: row.lsoaCodes }));
    // The signature of what was read, in case an area changed between the two reads.
    this.cache.set(partnership, { signature: rows.map((area) => `${area.code}@${area.revision}`).join(','), areas });
    return areas;
  }
}
