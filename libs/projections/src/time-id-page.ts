import type { EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ReadModels } from './read-models';
import type { TimeIdKey } from './query-sources';

/** How a page of rows is ordered: by a time column, then id, both the same way. */
export interface TimeIdOrder {
  column: string;
  direction: 'ASC' | 'DESC';
}

/**
 * Rows of `entity` (aliased `alias`) in `partnerships`, in `order`, up to `limit + 1` (one more says
 * a page follows), continuing after the keyset position `after`. Callers add their own filters.
 */
export function timeIdPage<T extends ObjectLiteral>(
  readModels: ReadModels,
  entity: EntityTarget<T>,
  alias: string,
  page: { partnerships: readonly string[]; order: TimeIdOrder; limit: number; after: TimeIdKey | undefined },
): SelectQueryBuilder<T> {
  const { partnerships, order, limit, after } = page;
  const qb = readModels.dataSource
    .getRepository(entity)
    .createQueryBuilder(alias)
    .where(`${alias}.partnership IN (:...partnerships)`, { partnerships })
    .orderBy(`${alias}.${order.column}`, order.direction)
    .addOrderBy(`${alias}.id`, order.direction)
    .limit(limit + 1);
  if (after) {
    const beyond = order.direction === 'ASC' ? '>' : '<';
    qb.andWhere(`(${alias}.${order.column}, ${alias}.id) ${beyond} (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))`, {
      afterAt: after[0],
      afterId: after[1],
    });
  }
  return qb;
}
