import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Database } from '@tasking/event-store';
import { query } from './sql';

/**
 * What makes a deployment's data its own: the PostgreSQL cluster (its system identifier, made
 * at initdb, so two servers never share one), the database and the schema; for the embedded
 * store also the data folder (a copied folder keeps the identifier of the one it came from).
 * Two processes with the same identity work on the same rows, and only they may share queues.
 */
export async function databaseIdentity(db: Database, dataDir: string): Promise<string> {
  const cluster = await query<{ system: string; database: string }>(db, 'SELECT system_identifier::text AS system, current_database() AS database FROM pg_control_system()').catch(
    // A server that refuses pg_control_system(): its address stands in for the cluster.
    () => query<{ system: string; database: string }>(db, `SELECT coalesce(inet_server_addr()::text, 'local') || ':' || coalesce(inet_server_port()::text, '') AS system, current_database() AS database`),
  );
  const row = cluster[0];
  if (!row) throw new Error('the database did not say who it is');
  return [db.kind, row.system, row.database, db.schema, ...(db.kind === 'embedded' ? [resolve(dataDir)] : [])].join('/');
}

/**
 * The Redis namespace of a deployment's queues and dashboard sessions: `tl` and 12 hex digits of
 * a hash of its database identity. BullMQ keys become `bull:<namespace>:<queue name>:...`, so
 * deployments sharing a Redis (and a QUEUE_PREFIX, such as the default) never see each other's
 * jobs, while the API and its workers, on the same database, meet on the same queues.
 */
export const jobsNamespace = (identity: string): string => `tl${createHash('sha256').update(identity, 'utf8').digest('hex').slice(0, 12)}`;
