import { createEmbeddedEventStore, createPostgresEventStore } from '../adapters';
import { Database, openDatabase } from '../database';
import type { AppendRequest, EventStore, Position, SubscribeOptions } from '../event-store.port';
import type { KurrentDbEventStore, KurrentDbEventStoreOptions } from './kurrentdb-event-store';

/**
 * The kurrentdb adapter's entry points and the selector the runtime calls. This module loads the
 * KurrentDB client (and its native reader) only when a kurrentdb URL is configured.
 */
export type { KurrentDbEventStore, KurrentDbEventStoreOptions, CopiedAppendRequest } from './kurrentdb-event-store';
export { UnsupportedServerError } from './server-features';

/** Every scheme the client accepts (esdb ones are the older names). */
export const KURRENTDB_SCHEMES = ['kurrentdb:', 'kurrentdb+discover:', 'kurrent:', 'kurrent+discover:', 'kdb:', 'kdb+discover:', 'esdb:', 'esdb+discover:'];
const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'];

function schemeOf(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(url);
  return match ? match[1].toLowerCase() : '';
}

export function isKurrentDbUrl(url: string): boolean {
  return KURRENTDB_SCHEMES.includes(schemeOf(url));
}

/**
 * The KurrentDB event store (EVENT_STORE_URL=kurrentdb://… or esdb://…). `idempotency` is the
 * read-model database that keeps the event-id index; the store borrows it. Refuses servers
 * without multi-stream append (KurrentDB before 25.1) with UnsupportedServerError.
 */
export async function createKurrentDbEventStore(
  options: { url: string; idempotency?: Database } & Partial<KurrentDbEventStoreOptions>,
): Promise<KurrentDbEventStore> {
  // Loaded on first use: the client and its native reader cost every other process a quarter second.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { KurrentDbEventStore } = require('./kurrentdb-event-store') as typeof import('./kurrentdb-event-store');
  return KurrentDbEventStore.open(options);
}

/**
 * The event store the configuration asks for, beside the read-model database `db`:
 *   - EVENT_STORE_URL unset: the store in `db` itself (postgres or embedded PGlite);
 *   - kurrentdb://… / esdb://…: KurrentDB, with its idempotency index in `db`;
 *   - postgres://… (another database than `db`'s): a store of its own there, in `db`'s schema
 *     name, opened and closed with the store.
 * The caller closes the store before `db`, as with the SQL stores.
 */
export async function openEventStore(config: { eventStoreUrl?: string; databaseQueryTimeoutMs?: number }, db: Database): Promise<EventStore> {
  const url = config.eventStoreUrl;
  if (url && isKurrentDbUrl(url)) return createKurrentDbEventStore({ url, idempotency: db });
  if (url && !POSTGRES_SCHEMES.includes(schemeOf(url))) {
    throw new TypeError(`EVENT_STORE_URL must be a kurrentdb://, esdb:// or postgres:// URL, got ${schemeOf(url) || 'no scheme'}`);
  }
  if (url && url !== db.connectionString) {
    const storeDb = await openDatabase({ databaseUrl: url, dataDir: '', schema: db.schema, queryTimeoutMs: config.databaseQueryTimeoutMs || undefined });
    try {
      return new StoreOwningDatabase(await createPostgresEventStore(storeDb), storeDb);
    } catch (error) {
      await storeDb.close().catch(() => undefined);
      throw error;
    }
  }
  return db.kind === 'postgres' ? createPostgresEventStore(db) : createEmbeddedEventStore(db);
}

/** A store in a database of its own: closing the store closes that database too. */
class StoreOwningDatabase implements EventStore {
  constructor(
    private readonly store: EventStore,
    private readonly db: Database,
  ) {}
  append(requests: AppendRequest[]) {
    return this.store.append(requests);
  }
  read(stream: string, fromRevision?: number) {
    return this.store.read(stream, fromRevision);
  }
  readStreams(streams: readonly string[]) {
    return this.store.readStreams(streams);
  }
  readAll(after: Position, batchSize: number) {
    return this.store.readAll(after, batchSize);
  }
  subscribeAll(after: Position, options?: SubscribeOptions) {
    return this.store.subscribeAll(after, options);
  }
  findByEventIds(eventIds: string[]) {
    return this.store.findByEventIds(eventIds);
  }
  headPosition() {
    return this.store.headPosition();
  }
  hasEventsAfter(after: Position) {
    return this.store.hasEventsAfter(after);
  }
  appendTick() {
    return this.store.appendTick();
  }
  waitForAppend(sinceTick: number, timeoutMs: number, signal?: AbortSignal) {
    return this.store.waitForAppend(sinceTick, timeoutMs, signal);
  }
  async close() {
    await this.store.close();
    await this.db.close();
  }
}
