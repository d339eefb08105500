import { Database } from './database';
import { EventStore } from './event-store.port';
import { migrateEventStore } from './migrations';
import { SqlEventStore, SqlEventStoreOptions } from './sql-event-store';
import { APPEND_CHANNEL, AppendListener, NotifyCoalescer } from './wake-ups';

export interface EventStoreFactoryOptions extends SqlEventStoreOptions {
  /** Apply pending store migrations first (default true). */
  migrate?: boolean;
}

/**
 * The PostgreSQL event store. Wake-ups: the in-process tick, a coalesced NOTIFY on
 * `events_appended` after each commit (payload: the schema; at most one per 5 ms), and a
 * dedicated LISTEN session of its own (outside the pool) that moves the tick when other
 * processes append. `close()` ends that session; the pool belongs to the Database.
 */
export async function createPostgresEventStore(db: Database, options: EventStoreFactoryOptions = {}): Promise<SqlEventStore> {
  if (db.kind !== 'postgres' || !db.connectionString) {
    throw new TypeError('createPostgresEventStore needs a postgres Database (openDatabase with a databaseUrl)');
  }
  if (options.migrate !== false) await migrateEventStore(db);
  const store = new SqlEventStore(db, options);
  const notifier = new NotifyCoalescer(db.pool, db.schema);
  const listener = new AppendListener(db.connectionString, db.schema, () => store.notifyAppended());
  try {
    await listener.start();
  } catch (error) {
    await listener.stop();
    throw error;
  }
  store.useWakeUps({
    afterAppend: () => notifier.schedule(),
    close: async () => {
      await listener.stop();
      await notifier.close();
    },
  });
  return store;
}

/**
 * The embedded (PGlite) event store. Wake-ups are in-process only: PGlite is one session and no
 * other process can attach, so there is nobody to NOTIFY and no second connection to LISTEN on.
 */
export async function createEmbeddedEventStore(db: Database, options: EventStoreFactoryOptions = {}): Promise<SqlEventStore> {
  if (db.kind !== 'embedded') {
    throw new TypeError('createEmbeddedEventStore needs an embedded Database (openDatabase without a databaseUrl)');
  }
  if (options.migrate !== false) await migrateEventStore(db);
  return new SqlEventStore(db, options);
}

export type { EventStore };
export { APPEND_CHANNEL };
