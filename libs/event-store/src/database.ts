import { mkdir, mkdtemp, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { lockDataFolder } from './data-folder-lock';
import { isStorageFull, mapStoreError } from './errors';

/**
 * The database the event store (and later the read models) live in.
 *
 * Ownership: whoever calls `openDatabase` owns the returned Database and must `close()` it last;
 * stores built on it borrow `pool` and never end it.
 */
export interface Database {
  /** 'postgres': a server reached through DATABASE_URL; 'embedded': PGlite in a data folder. */
  kind: 'postgres' | 'embedded';
  /**
   * postgres: a pool of `poolSize` sessions. embedded: a pool of EXACTLY ONE session, the only
   * connection PGlite accepts; every access (store, read models, checkpoints) queues on it, which
   * is what serialises access to PGlite's single session. Never open another connection to it.
   */
  pool: pg.Pool;
  /** The schema holding the store's tables; every session's search_path points at it. */
  schema: string;
  /** postgres only: for a dedicated LISTEN session. Undefined in embedded mode on purpose. */
  connectionString?: string;
  /** Ends the pool (and in embedded mode stops the socket server and closes PGlite). Idempotent. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A postgres:// URL; when absent the embedded PGlite store in `dataDir` is used. */
  databaseUrl?: string;
  /** PGlite's data folder (embedded mode only); created if missing. */
  dataDir: string;
  /** A plain lower-case identifier; created if missing. Default `public`. */
  schema?: string;
  /** postgres only (embedded is always one connection). Default 10. */
  poolSize?: number;
  /**
   * embedded only: called if the data folder's lock is taken away while open (its refresh was
   * late by minutes and another process took it). Default: say so on stderr and end the process.
   */
  onLockLost?: (error: Error) => void;
  /**
   * postgres only: how long the client waits for any statement's answer before dropping the
   * session (the server may be frozen, where its own statement_timeout never fires). Default none.
   */
  queryTimeoutMs?: number;
}

const exitOnLockLost = (error: Error): void => {
  console.error(`the DATA_DIR lock was lost (${error.message}): stopping, as another process may now write the store`);
  process.exit(4);
};

/** Session settings for every postgres connection of the pool. */
export const SESSION_SETTINGS = {
  /** A forgotten open transaction holds back every reader's horizon: end it. */
  idle_in_transaction_session_timeout: '30s',
  /** Generous: only a runaway statement should hit it (large rebuild batches must not). */
  statement_timeout: '5min',
} as const;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new TypeError(`schema must be a plain lower-case identifier (a-z, 0-9, _), got ${JSON.stringify(schema)}`);
  }
}

/** Schema names are checked by assertSchemaName; quoting still guards against reserved words. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** An advisory-lock key per schema, so migrations of different schemas do not wait on each other. */
export const SCHEMA_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtextextended('tasking-ledger/event-store/' || $1::text, 0))`;

/** Creates the schema if missing, under the schema's advisory lock (two processes may race). */
export async function ensureSchema(pool: pg.Pool, schema: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(SCHEMA_LOCK_SQL, [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(true);
    throw error;
  }
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const schema = options.schema ?? 'public';
  assertSchemaName(schema);
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, schema, options.poolSize ?? 10, options.queryTimeoutMs)
    : openEmbedded(options.dataDir, schema, options.onLockLost ?? exitOnLockLost);
}

/**
 * pg-pool listens for errors only on idle clients: a client lent out (a statement running, or a
 * transaction between statements) whose server goes away emits 'error' with nobody listening,
 * and Node ends the process. The statement in flight is rejected anyway, later ones find the
 * client not queryable, and the pool drops it on release; the event itself needs no handling.
 */
function keepLentClientsFromCrashing(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
}

async function openPostgres(databaseUrl: string, schema: string, poolSize: number, queryTimeoutMs: number | undefined): Promise<Database> {
  const settings: string[] = Object.entries(SESSION_SETTINGS).map(([name, value]) => `-c ${name}=${value}`);
  if (schema !== 'public') settings.push(`-c search_path=${schema}`);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    options: settings.join(' '),
    connectionTimeoutMillis: 5_000,
    ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {}),
  });
  // An idle client losing its server (restart) is reported here; without a listener Node exits.
  pool.on('error', () => undefined);
  keepLentClientsFromCrashing(pool);
  try {
    await ensureSchema(pool, schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw mapStoreError(error);
  }
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    pool,
    schema,
    connectionString: databaseUrl,
    close: () => (closed ??= pool.end()),
  };
}

async function openEmbedded(dataDir: string, schema: string, onLockLost: (error: Error) => void): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  // Before PGlite opens the folder: one process per data folder (DataFolderLockedError otherwise).
  // The lock writes into the folder first: a full file system says so here already.
  const lock = await lockDataFolder(dataDir, onLockLost).catch(async (error: unknown) => {
    throw (await lackOfSpace(dataDir, error)) ?? error;
  });
  // A unix socket in a fresh 0700 folder: no other local user can reach the unauthenticated
  // server, unlike a loopback port. Windows has no unix sockets for `pg`: loopback, ephemeral port.
  const socketDir = process.platform === 'win32' ? undefined : await mkdtemp(join(tmpdir(), 'tl-pglite-'));
  const removeSocketDir = async () => {
    if (socketDir) await rm(socketDir, { recursive: true, force: true });
  };
  let host: PGliteHost;
  try {
    host = await startPGliteHost(
      dataDir,
      socketDir ? { path: join(socketDir, '.s.PGSQL.5432') } : { host: '127.0.0.1', port: 0 },
    );
  } catch (error) {
    await removeSocketDir();
    await lock.release();
    throw (await lackOfSpace(dataDir, error)) ?? error;
  }
  const [hostName, port] = socketDir ? [socketDir, 5432] : splitHostPort(host.serverConn);
  const pool = new pg.Pool({
    host: hostName,
    port,
    user: 'postgres',
    database: 'postgres',
    // Exactly one session: the pool's queue serialises every transaction on PGlite's one backend.
    max: 1,
    // Keep the session: never drop and re-dial it while idle.
    idleTimeoutMillis: 0,
  });
  pool.on('error', () => undefined);
  keepLentClientsFromCrashing(pool);
  // PGlite is one backend that outlives a socket: if the connection is ever re-dialled, forget the
  // previous client's named statements (the new client would re-prepare them) and set the path.
  const sessionSetup = `DEALLOCATE ALL; SET search_path TO ${quoteIdent(schema)}`;
  pool.on('connect', (client) => {
    client.query(sessionSetup).catch(() => undefined);
  });
  const shutDown = async () => {
    await pool.end().catch(() => undefined);
    await host.stop();
    await removeSocketDir();
    await lock.release();
  };
  try {
    await ensureSchema(pool, schema);
  } catch (error) {
    await shutDown();
    throw (await lackOfSpace(dataDir, error)) ?? mapStoreError(error);
  }
  let closed: Promise<void> | undefined;
  return { kind: 'embedded', pool, schema, close: () => (closed ??= shutDown()) };
}

/** Below this much free space a failed start is put down to the disk (PGlite's own message does not say). */
const START_SPACE_BYTES = 64 * 1024 * 1024;

/**
 * The error to report when the embedded store failed to start for lack of space: PGlite says only
 * that it "failed to initialize properly". Undefined when space is not the reason.
 */
async function lackOfSpace(dataDir: string, error: unknown): Promise<Error | undefined> {
  const free = await statfs(dataDir).then((s) => s.bavail * s.bsize, () => undefined);
  const message = error instanceof Error ? error.message : String(error);
  if (!isStorageFull(error) && !/ENOSPC|No space left/i.test(message) && (free === undefined || free >= START_SPACE_BYTES)) return undefined;
  const left = free === undefined ? 'too little space' : `${(free / 1024 / 1024).toFixed(1)} MB free`;
  return new Error(`the embedded store in ${dataDir} could not start: its file system is full (${left}); free some space and start again`, { cause: error });
}

interface PGliteHost {
  /** "host:port" or the socket path. */
  serverConn: string;
  stop(): Promise<void>;
}

/**
 * PGlite and its socket server run in a worker thread: PGlite executes SQL synchronously in WASM,
 * so off the main thread it does not stall the event loop while a query runs; and the worker
 * loads PGlite's CommonJS build with plain Node (PGlite's own dynamic imports of Node built-ins
 * fail inside jest's module sandbox). The worker is plain JavaScript so nothing needs compiling.
 */
const PGLITE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
const { PGLiteSocketServer } = require(workerData.pgliteSocket);
(async () => {
  let db;
  let server;
  try {
    db = await PGlite.create(workerData.dataDir);
    // The pool holds one connection at a time; a second slot only covers a re-dial arriving
    // before the server has noticed the previous socket close.
    server = new PGLiteSocketServer(Object.assign({ db, maxConnections: 2 }, workerData.listen));
    await server.start();
  } catch (error) {
    if (server) await server.stop().catch(() => undefined);
    if (db) await db.close().catch(() => undefined);
    parentPort.postMessage({ type: 'failed', message: String((error && error.stack) || error) });
    parentPort.close();
    return;
  }
  parentPort.on('message', async (message) => {
    if (message !== 'stop') return;
    await server.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    parentPort.postMessage({ type: 'stopped' });
    parentPort.close();
  });
  parentPort.postMessage({ type: 'ready', serverConn: server.getServerConn() });
})();
`;

type WorkerMessage = { type: 'ready'; serverConn: string } | { type: 'failed'; message: string } | { type: 'stopped' };

function startPGliteHost(dataDir: string, listen: { path: string } | { host: string; port: number }): Promise<PGliteHost> {
  const worker = new Worker(PGLITE_WORKER, {
    eval: true,
    workerData: {
      pglite: require.resolve('@electric-sql/pglite'),
      pgliteSocket: require.resolve('@electric-sql/pglite-socket'),
      dataDir,
      listen,
    },
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const stop = async () => {
    worker.postMessage('stop');
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 10_000, 'timeout').unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') await worker.terminate();
  };
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`PGlite worker exited (code ${code}) before it was ready`)));
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') {
        // From here on a crash of the worker shows as failed connections (StoreUnavailableError),
        // not as an unhandled 'error' event taking the process down.
        worker.on('error', () => undefined);
        resolve({ serverConn: message.serverConn, stop });
      }
      if (message.type === 'failed') reject(new Error(`PGlite could not open ${dataDir}: ${message.message}`));
    });
  });
}

function splitHostPort(conn: string): [string, number] {
  const at = conn.lastIndexOf(':');
  return [conn.slice(0, at), Number(conn.slice(at + 1))];
}
