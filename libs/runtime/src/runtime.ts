import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenVerifier, type TokenVerifier } from '@tasking/auth';
import { openDatabase, openEventStore, type Database, type EventStore } from '@tasking/event-store';
import type { JobsService } from '@tasking/jobs';
import { openReadModels, ProjectionRunner, readModelSchema, type ProjectionRunnerOptions, type ReadModels } from '@tasking/projections';
import { Logger } from '@nestjs/common';
import { CLOCK_JUMP_TOLERANCE_MS, ClockGuard, systemClock, type Clock, type Config } from '@tasking/shared';
import { openPersonalData, type PersonalData, type PersonalDataOptions } from '@tasking/personal-data';
import type { SystemCommands } from '@tasking/application';
import { createJobs, type CreateJobsOptions } from './create-jobs';
import { openSystemCommands } from './system-commands';
import { migrateSchema } from './schema';

/** What health and metrics need to know of the job queues. */
export interface JobsStatus {
  /** Redis reachable and usable; never fails readiness, only reports it degraded. */
  redisStatus(): Promise<{ ok: boolean; reason?: string }>;
  /** Jobs per queue and state (waiting, active, delayed, failed, ...). */
  queueCounts(): Promise<Record<string, Record<string, number>>>;
}

/** Everything a process needs, opened once at start and closed once at shutdown. */
export interface Runtime {
  config: Config;
  clock: Clock;
  /**
   * Holds the retention sweep and the deadline jobs back while the wall clock disagrees with the
   * monotonic or the database server's clock (docs/security.md, "Times and clocks").
   */
  clockGuard?: ClockGuard;
  db: Database;
  /**
   * The event store as everything reads and writes it: personal fields encrypted on append and
   * decrypted on read (libs/personal-data); the log underneath holds only ciphertext.
   */
  store: EventStore;
  /**
   * The one runner of system commands (the deadlines' escalations, the retention sweep's
   * erasures): the command runner over `store`.
   */
  systemCommands: SystemCommands;
  /** Data keys, the subject-access audit and the retention sweep. */
  personalData: PersonalData;
  verifier: TokenVerifier;
  /** The read-model database (TypeORM over `db.pool`), migrated. */
  readModels: ReadModels;
  /**
   * The projections: checkpoints, read-your-writes waits and rebuild jobs. Its loops run in this
   * process unless WORKER_MODE=separate (then apps/worker runs them and this one only reads).
   */
  projections: ProjectionRunner;
  /** The HS256 secret in force (configured or generated for the embedded quick start). */
  jwtSecret?: string;
  /**
   * Background jobs (libs/jobs; satisfies JobsStatus): the reactor and workers run here unless
   * WORKER_MODE=separate (or the runtime is on a schema of its own: tests ask with `runJobs`).
   */
  jobs?: JobsService;
  /** Stops the projections (letting a batch in flight commit), then closes the store and the database. */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  /**
   * The clock-jump guard. Default: one on the system clock; none when a clock is injected (tests
   * move such clocks on purpose), unless given here.
   */
  clockGuard?: ClockGuard;
  /** A schema of its own (tests). */
  schema?: string;
  /** Start the projection loops here (default: unless config.workerMode is 'separate'). */
  runProjections?: boolean;
  projectionOptions?: ProjectionRunnerOptions;
  /** Run the jobs reactor and workers here (default: unless WORKER_MODE=separate or `schema` is given). */
  runJobs?: boolean;
  jobsOptions?: Omit<CreateJobsOptions, 'ownSchema' | 'run'>;
  /**
   * Start the jobs (reactor, workers, sweeps) before returning (default true; else only prepare
   * their queues). `main.ts` starts them
   * itself once the demo seed, which writes history at its own past dates, is in: a deadline sweep
   * running meanwhile would escalate at today's date on streams the seed then goes on writing.
   */
  startJobs?: boolean;
  /** Key cache and retention sweep timing; the sweep's timer runs where the projections run. */
  personalDataOptions?: PersonalDataOptions;
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
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: options.schema, queryTimeoutMs: config.databaseQueryTimeoutMs || undefined });
  const clock = options.clock ?? systemClock;
  const clockGuard = options.clockGuard ?? (options.clock === undefined ? systemClockGuard(clock, db) : undefined);
  let store: EventStore | undefined;
  let systemCommands: SystemCommands | undefined;
  let readModels: ReadModels | undefined;
  let personalData: PersonalData | undefined;
  try {
    // EVENT_STORE_URL: absent, the read-model database; kurrentdb:// or esdb://, KurrentDB; postgres://, another database.
    // Opening it runs its own migrator; then every other library's migrations run, before anything serves.
    store = await openEventStore(config, db);
    await migrateSchema(db, config);
    // From here on the runtime sees the log only through the encrypting layer.
    const personalDataOptions = { ...options.personalDataOptions, retention: { ...options.personalDataOptions?.retention, guard: clockGuard } };
    ({ store, commands: systemCommands, personalData } = await openPersonalData(config, db, store, clock, openSystemCommands, personalDataOptions));
    readModels = await openReadModels(db, readModelSchema, { migrated: true });
  } catch (error) {
    await store?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
  const projections = new ProjectionRunner(store, readModels, { now: () => clock.now(), ...options.projectionOptions });
  const runProjections = options.runProjections ?? config.workerMode !== 'separate';
  if (runProjections) await projections.start();
  if (runProjections) personalData.retention.start();
  const opened = { store, readModels, personalData };
  let closing: Promise<void> | undefined;
  const runtime: Runtime = {
    config,
    clock,
    clockGuard,
    db,
    store,
    systemCommands,
    personalData,
    verifier,
    readModels,
    projections,
    jwtSecret,
    close() {
      closing ??= (async () => {
        await opened.personalData.retention.stop();
        await runtime.jobs?.stop();
        await projections.stop();
        await opened.readModels.close();
        await opened.store.close();
        await db.close();
      })();
      return closing;
    },
  };
  runtime.jobs = createJobs(runtime, { ...options.jobsOptions, ownSchema: options.schema !== undefined, run: options.runJobs });
  try {
    // Neither waits for Redis: without it the reactor waits and retries.
    await (options.startJobs ?? true ? runtime.jobs.start() : runtime.jobs.prepare());
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
  return runtime;
}

/** The guard on the system clock, checking it against the monotonic clock and the database server's. */
function systemClockGuard(clock: Clock, db: Database): ClockGuard {
  const logger = new Logger('clock');
  return new ClockGuard(clock, {
    toleranceMs: CLOCK_JUMP_TOLERANCE_MS,
    databaseNow: async () => {
      const { rows } = await db.pool.query<{ now: Date }>('SELECT clock_timestamp() AS now');
      return rows[0]!.now;
    },
    onJump: (reason) => logger.error(`clock jump: ${reason}; the retention sweep and deadline jobs are held until the clocks agree`),
    onRecover: () => logger.log('clock jump over: the clocks agree again; the retention sweep and deadline jobs resume'),
  });
}
