import type { Database } from '@tasking/event-store';
import { JOB_MIGRATIONS } from '@tasking/jobs';
import { personalDataMigrations } from '@tasking/personal-data';
import { readModelMigrationSet, readModelSchema, runMigrations, type MigrationSet } from '@tasking/projections';
import type { Config } from '@tasking/shared';

/**
 * Every library's TypeORM migrations, in the order they run at start (architecture.md, "Schema"):
 * personal data, the jobs' records, the read models. The event store migrates itself before
 * these (its own migrator, `store_migrations`), when it is opened.
 */
export function schemaMigrations(config: Pick<Config, 'secretsKey' | 'dataDir' | 'defaultPartnership'>): MigrationSet[] {
  return [personalDataMigrations(config), JOB_MIGRATIONS, readModelMigrationSet(readModelSchema)];
}

/** Brings every library's tables up to date, one set after the other; the only DDL a process runs besides the event store's. */
export async function migrateSchema(db: Database, config: Pick<Config, 'secretsKey' | 'dataDir' | 'defaultPartnership'>): Promise<void> {
  for (const set of schemaMigrations(config)) await runMigrations(db, set);
}
