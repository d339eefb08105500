import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenVerifier, type TokenVerifier } from '@tasking/auth';
import { createEmbeddedEventStore, createPostgresEventStore, openDatabase, type Database, type EventStore } from '@tasking/event-store';
import { systemClock, type Clock, type Config } from '@tasking/shared';

/** Everything a process needs, opened once at start and closed once at shutdown. */
export interface Runtime {
  config: Config;
  clock: Clock;
  db: Database;
  store: EventStore;
  verifier: TokenVerifier;
  /** The HS256 secret in force (configured or generated for the embedded quick start). */
  jwtSecret?: string;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  /** A schema of its own (tests). */
  schema?: string;
}

/** The embedded quick start needs no configuration: it keeps a generated development secret in DATA_DIR. */
export function developmentSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'dev-jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export async function openRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const jwtSecret = config.auth.jwtSecret ?? (!config.auth.jwksUrl && !config.databaseUrl ? developmentSecret(config.dataDir) : undefined);
  const verifier = createTokenVerifier(config.auth, { partnerships: config.partnerships, defaultPartnership: config.defaultPartnership }, jwtSecret);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: options.schema });
  const store = db.kind === 'postgres' ? await createPostgresEventStore(db) : await createEmbeddedEventStore(db);
  return {
    config,
    clock: options.clock ?? systemClock,
    db,
    store,
    verifier,
    jwtSecret,
    async close() {
      await store.close();
      await db.close();
    },
  };
}
