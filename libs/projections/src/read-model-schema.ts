import type { MigrationInterface } from 'typeorm';
import type { Projection } from './projection';

/** A TypeORM migration class: raw SQL in `up`/`down`, unqualified table names (search_path finds the schema). */
export type MigrationClass = new () => MigrationInterface;

/** A TypeORM entity class (decorated with `@Entity`). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function;

/**
 * One slice of the read side: the tables it adds (migrations), how TypeORM sees them (entities)
 * and the projections that fill them.
 *
 * HOW TO ADD READ MODELS (e.g. the analytics projections):
 *  1. write migration classes in `src/migrations/` (implement MigrationInterface, raw SQL,
 *     unqualified table names, a `name` ending in a 13-digit timestamp later than every existing
 *     one: migrations of all modules run in timestamp order) and entity classes for the tables;
 *  2. write each projector as a `Projection` (projection.ts): it lists the tables it owns in
 *     `tables` (a rebuild copies and swaps exactly those, so a table belongs to one projection,
 *     and no view or foreign key may point at it) and writes them only through the `tx` it is given;
 *  3. export `const xReadModel: ReadModelModule = { name, entities, migrations, projections }` and
 *     add it to `readModelSchema` in index.ts. The runtime's `migrateSchema` runs the migrations
 *     at start (architecture.md, "Schema"), `openReadModels` registers the entities; the runner
 *     runs the projections; the admin routes can rebuild them.
 */
export interface ReadModelModule {
  /** For messages. */
  readonly name: string;
  readonly entities: readonly EntityClass[];
  readonly migrations: readonly MigrationClass[];
  readonly projections: readonly Projection[];
}
