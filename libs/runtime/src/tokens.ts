/**
 * Injection tokens of what a runtime opened (libs/runtime): each class asks for the parts it uses.
 * The event store and the command runner's options are libs/application's (EVENT_STORE,
 * COMMAND_RUNNER_OPTIONS); the clock is libs/shared's (CLOCK), the token verifier libs/auth's; the
 * read side's are libs/projections'.
 */
/** Config: the loaded configuration. */
export const CONFIG = Symbol('CONFIG');
/** Database: the PostgreSQL or embedded database (its pool, schema and kind). */
export const DATABASE = Symbol('DATABASE');
/**
 * The read side's tokens are libs/projections' own (query-sources.ts), re-exported here so the
 * composition root provides each once: READ_MODELS (ReadModels), PROJECTIONS (ProjectionRunner:
 * checkpoints, read-your-writes waits, rebuild jobs) and EVENT_LOG (the runtime's store as opened,
 * decrypting and not metered: what queries and metrics read; the API's EVENT_STORE, which commands
 * append to, wraps it with metrics).
 */
export { EVENT_LOG, PROJECTIONS, READ_MODELS } from '@tasking/projections';
/** JobsService | undefined: the background jobs. */
export const JOBS = Symbol('JOBS');
/** PersonalData: data keys, the subject-access log, the retention sweep. */
export const PERSONAL_DATA = Symbol('PERSONAL_DATA');
/** ClockGuard | undefined: the clock-jump guard. */
export const CLOCK_GUARD = Symbol('CLOCK_GUARD');
