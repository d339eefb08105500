import { Logger } from '@nestjs/common';
import type { SystemCommands } from '@tasking/application';
import type { Database, EventStore } from '@tasking/event-store';
import type { Clock, Config } from '@tasking/shared';
import { deriveSecretsKey, secretsKeyMaterial } from './webhook-secrets';
import { DataKeys, dataKeysKek, type DataKeysOptions } from './data-keys';
import { EncryptingEventStore } from './encrypting-event-store';
import { RetentionSweep, type RetentionOptions } from './retention';
import { SubjectAccessLog } from './subject-access-log';

/** Personal-data protection of a runtime: the keys, the access audit and the retention sweep. */
export interface PersonalData {
  keys: DataKeys;
  accessLog: SubjectAccessLog;
  retention: RetentionSweep;
  /**
   * Keys the Idempotency-Key body hash kept in event metadata (HMAC-SHA256 of the body's SHA-256),
   * so a dump of the log cannot confirm a guessed body. Derived from SECRETS_KEY.
   */
  bodyHashKey: Buffer;
}

/** HKDF purpose of the body-hash key. */
export const BODY_HASH_INFO = 'tasking-ledger/idempotency-body-hash/v1';

export interface PersonalDataOptions {
  keys?: DataKeysOptions;
  retention?: RetentionOptions;
}

/**
 * Wraps the store (its tables migrated: `personalDataMigrations`): the returned `store` encrypts personal fields on append
 * and decrypts them on read, and is the only store the rest of the runtime should use.
 * `systemCommands` opens the runtime's system commands over that store; the retention sweep runs
 * its erasures through them, and they are returned for the runtime's other system commands.
 */
export async function openPersonalData(
  config: Config,
  db: Database,
  inner: EventStore,
  clock: Clock,
  systemCommands: (store: EventStore) => SystemCommands,
  options: PersonalDataOptions = {},
): Promise<{ store: EventStore; commands: SystemCommands; personalData: PersonalData }> {
  const logger = new Logger('personal-data');
  const onFirstKey =
    config.secretsKey === undefined && config.databaseUrl !== undefined
      ? () => logger.warn(`SECRETS_KEY is unset: personal-data keys are wrapped with a development key kept in ${config.dataDir}`)
      : undefined;
  const material = secretsKeyMaterial(config.secretsKey, config.dataDir);
  const keys = new DataKeys(db, dataKeysKek(material), clock, { onFirstKey, ...options.keys });
  const store = new EncryptingEventStore(inner, keys);
  const commands = systemCommands(store);
  const retention = new RetentionSweep(
    db,
    commands,
    keys,
    clock,
    { afterClosure: config.retentionYearsAfterClosure, incident: config.incidentRetentionYears },
    { log: (message) => logger.log(message), error: (message) => logger.error(message) },
    options.retention,
  );
  return { store, commands, personalData: { keys, accessLog: new SubjectAccessLog(db), retention, bodyHashKey: deriveSecretsKey(material, BODY_HASH_INFO) } };
}
