import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import type { Database } from '@tasking/event-store';
import { ProjectionCheckpoints1764000000000 } from './migrations/1764000000000-projection-checkpoints';
import type { Projection } from './projection';
import type { ReadModelModule } from './read-model-schema';
import { runMigrations, sharedPoolDriver, type MigrationSet } from './schema-migrations';

/** `projection_checkpoints`: how far each projection has applied the log (written by the runner only). */
@Entity({ name: 'projection_checkpoints' })
export class ProjectionCheckpointEntity {
  @PrimaryColumn('text') name!: string;
  @Column('text') position!: string;
  @Column('text') status!: 'running' | 'failed';
  @Column('text', { name: 'last_error', nullable: true }) lastError!: string | null;
  @Column('text', { name: 'error_position', nullable: true }) errorPosition!: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('bigint', { name: 'events_applied' }) eventsApplied!: string;
}

/** The runner's own table, always part of the read-model schema. */
const runnerReadModel: ReadModelModule = {
  name: 'projection-runner',
  entities: [ProjectionCheckpointEntity],
  migrations: [ProjectionCheckpoints1764000000000],
  projections: [],
};

/** The read-model database: a TypeORM DataSource over the Database's own pool. */
export interface ReadModels {
  readonly db: Database;
  readonly dataSource: DataSource;
  /** Every projection of the schema it was opened with, in order. */
  readonly projections: readonly Projection[];
  /** Lets TypeORM go; the pool stays open (it belongs to the Database, closed by its owner). */
  close(): Promise<void>;
}

/** Every migration of the schema, oldest first (TypeORM orders them by the timestamp in their name too). */
export function readModelMigrations(schema: readonly ReadModelModule[]): ReadModelModule['migrations'][number][] {
  return [runnerReadModel, ...schema].flatMap((module) => module.migrations);
}

/** The read side's migrations as one set: the runner's table and every module's, recorded in `read_model_migrations`. */
export function readModelMigrationSet(schema: readonly ReadModelModule[]): MigrationSet {
  return { name: 'read-models', table: 'read_model_migrations', migrations: readModelMigrations(schema) };
}

/**
 * Opens the read models on `db`. Unless told they are migrated already (the runtime migrates every
 * library's tables first: libs/runtime `migrateSchema`), runs their pending migrations first. Pass
 * `readModelSchema` (index.ts) for the whole read side; a projection's module must be in the list
 * for its tables to exist.
 */
export async function openReadModels(db: Database, schema: readonly ReadModelModule[], options: { migrated?: boolean } = {}): Promise<ReadModels> {
  const modules = [runnerReadModel, ...schema];
  const names = new Set<string>();
  for (const projection of modules.flatMap((module) => module.projections)) {
    if (names.has(projection.name)) throw new Error(`two projections are named ${projection.name}`);
    names.add(projection.name);
  }
  if (!options.migrated) await runMigrations(db, readModelMigrationSet(schema));
  const dataSource = new DataSource({
    type: 'postgres',
    driver: sharedPoolDriver(db.pool),
    entities: modules.flatMap((module) => module.entities),
    synchronize: false,
    installExtensions: false,
    logging: false,
  });
  await dataSource.initialize();
  return {
    db,
    dataSource,
    projections: modules.flatMap((module) => module.projections),
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
