/** The event store: the port, its errors, the database it lives in, the SQL adapters and the contract suite. */
export * from './event-store.port';
export { IdleWait } from './idle-wait';
export { isConnectionError, isStorageFull } from './errors';
export { sleep } from './sleep';
export { openDatabase } from './database';
export type { Database, OpenDatabaseOptions } from './database';
export { DataFolderLockedError } from './data-folder-lock';
export { createEmbeddedEventStore, createPostgresEventStore } from './adapters';
export type { EventStoreFactoryOptions } from './adapters';
export { registerEventStoreContract } from './contract/event-store.contract';
export type { ContractHarness, ContractOptions, ContractSession } from './contract/event-store.contract';
export { createKurrentDbEventStore, isKurrentDbUrl, openEventStore, UnsupportedServerError } from './kurrentdb';
export type { KurrentDbEventStore, KurrentDbEventStoreOptions } from './kurrentdb';
