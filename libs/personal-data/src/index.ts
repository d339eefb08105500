/**
 * Personal data: the encrypting event store and its data keys, key derivation from SECRETS_KEY,
 * webhook secrets, the retention sweep, subjects' audience, subject reads and their access log.
 */
export * from './personal-data';
export * from './data-keys';
export * from './encrypting-event-store';
export * from './retention';
export * from './subject-access-log';
export * from './subject-reads';
export * from './audience';
export * from './sql';
export { personalDataMigrations } from './migrations';
export * from './webhook-secrets';
