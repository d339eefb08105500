import { isDeepStrictEqual } from 'node:util';
import { createEmbeddedEventStore, createPostgresEventStore } from '../adapters';
import { Database, openDatabase, quoteIdent } from '../database';
import { EventStore, Position, RecordedEvent, START } from '../event-store.port';
import type { CopiedAppendRequest, KurrentDbEventStore } from './kurrentdb-event-store';

/**
 * The one-off copy of an event log from PostgreSQL (or the embedded PGlite store) into KurrentDB:
 *
 *   npm run migrate-store -- --from postgres --to kurrentdb [options]
 *
 * - Events are copied in the source's log order, each stream's run of consecutive events as one
 *   append at the expected revision the source gives it (revision 0: no stream), with the event
 *   ids, types, data and metadata unchanged and the original recordedAt kept in the envelope.
 *   So stream revisions are the same on both sides, the target's log order is the source's, and
 *   a second run is harmless: an interrupted copy resumes after the last event the target holds
 *   (the same ids at the same expected revisions are answered as replays, never stored twice).
 * - The target must hold nothing else: a last event the source does not know stops the copy.
 * - Afterwards both logs are read side by side and compared event by event (--no-verify skips it).
 * - --translate-checkpoints (during that comparison) rewrites the positions of `projection_checkpoints` and
 *   `job_reactor_checkpoints` in the read-model database to the target's positions of the same
 *   events, so projections and the reactor go on where they were instead of starting over (the
 *   reactor would repeat side effects). Positions stored inside read-model rows stay the old
 *   store's: rebuild every projection after the switch (see docs/scaling.md).
 * Run it with the API and workers stopped: appends made during the copy may be missed.
 */
export interface CopyOptions {
  /** Events read from the source at a time. Default 500. */
  batchSize?: number;
  /** Largest append sent (data + metadata as JSON), below the server's MaxAppendSize. Default 900 000 bytes. */
  maxAppendBytes?: number;
  onProgress?(copied: number, position: Position): void;
  signal?: AbortSignal;
}

export interface CopyResult {
  /** Events appended to the target by this run. */
  copied: number;
  /** Where the run started in the source (START, or after the event the target already had). */
  resumedAfter: Position;
  /** The last source position copied (or already present). */
  lastSourcePosition: Position;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

type CopyTarget = Pick<KurrentDbEventStore, 'appendCopied' | 'lastEvent' | 'findByEventIds'>;

function sizeOf(event: RecordedEvent): number {
  return JSON.stringify(event.data).length + JSON.stringify(event.metadata).length + event.type.length + 64;
}

/** Where in the source to start: after the event the target holds last, which must be the source's. */
async function resumePoint(source: EventStore, target: CopyTarget): Promise<Position> {
  const last = await target.lastEvent();
  if (!last) return START;
  const [inSource] = await source.findByEventIds([last.eventId]);
  if (!inSource || inSource.stream !== last.stream || inSource.revision !== last.revision) {
    throw new MigrationError(
      `the target already holds events that are not this source's (its last event ${last.eventId} in ${last.stream}): ` +
        'copy into an empty KurrentDB',
    );
  }
  return inSource.position;
}

export async function copyEventStore(source: EventStore, target: CopyTarget, options: CopyOptions = {}): Promise<CopyResult> {
  const batchSize = options.batchSize ?? 500;
  const maxBytes = options.maxAppendBytes ?? 900_000;
  const resumedAfter = await resumePoint(source, target);
  let position = resumedAfter;
  let copied = 0;
  for (;;) {
    if (options.signal?.aborted) break;
    const batch = await source.readAll(position, batchSize);
    if (batch.length === 0) break;
    let group: RecordedEvent[] = [];
    let bytes = 0;
    const flush = async () => {
      if (group.length === 0) return;
      const [first] = group;
      const last = group[group.length - 1];
      const request: CopiedAppendRequest = {
        stream: first.stream,
        expectedRevision: first.revision === 0 ? 'no-stream' : first.revision - 1,
        events: group.map((e) => ({ eventId: e.eventId, type: e.type, data: e.data, metadata: e.metadata })),
        recordedAt: group.map((e) => e.recordedAt),
      };
      const result = await target.appendCopied([request]);
      if (result.revisions[first.stream] !== last.revision) {
        throw new MigrationError(`stream ${first.stream} reached revision ${result.revisions[first.stream]} in the target, not ${last.revision}`);
      }
      copied += group.length;
      position = last.position;
      options.onProgress?.(copied, position);
      group = [];
      bytes = 0;
    };
    for (const event of batch) {
      const previous = group[group.length - 1];
      const size = sizeOf(event);
      if (previous && (previous.stream !== event.stream || previous.revision + 1 !== event.revision || bytes + size > maxBytes)) await flush();
      group.push(event);
      bytes += size;
    }
    await flush();
  }
  return { copied, resumedAfter, lastSourcePosition: position };
}

export interface CompareResult {
  events: number;
  /** The first difference, if any. */
  mismatch?: string;
  /** The checkpoints asked for, as target positions: each maps to the target position of the last event at or before it. */
  checkpoints: Map<string, Position>;
}

/**
 * Reads both logs side by side and compares every event (ids, streams, revisions, types, data,
 * metadata, times); on the way, maps source checkpoints to the target's positions of the same events.
 */
export async function compareLogs(source: EventStore, target: EventStore, checkpoints = new Map<string, Position>(), batchSize = 500): Promise<CompareResult> {
  const translated = new Map<string, Position>([...checkpoints.keys()].map((name) => [name, START]));
  let sourcePosition: Position = START;
  let targetPosition: Position = START;
  let events = 0;
  for (;;) {
    const [a, b] = await Promise.all([source.readAll(sourcePosition, batchSize), target.readAll(targetPosition, batchSize)]);
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const [s, t] = [a[i], b[i]];
      for (const field of ['eventId', 'stream', 'revision', 'type', 'data', 'metadata', 'recordedAt'] as const) {
        if (!isDeepStrictEqual(s[field], t[field])) {
          return { events, mismatch: `event ${events + 1} (${s.eventId} in ${s.stream}) differs in ${field}`, checkpoints: translated };
        }
      }
      for (const [name, checkpoint] of checkpoints) if (checkpoint !== START && s.position <= checkpoint) translated.set(name, t.position);
      events++;
    }
    if (a.length !== b.length) {
      const mismatch = a.length > b.length ? `the target ends after ${events} events; the source has more` : `the target has events after the source's ${events}`;
      return { events, mismatch, checkpoints: translated };
    }
    if (a.length === 0) return { events, checkpoints: translated };
    sourcePosition = a[a.length - 1].position;
    targetPosition = b[b.length - 1].position;
  }
}

/** The checkpoint tables the tool knows: the projections' and the reactor's (name, position). */
export const CHECKPOINT_TABLES = ['projection_checkpoints', 'job_reactor_checkpoints'] as const;

async function existingCheckpointTables(db: Database): Promise<string[]> {
  const { rows } = await db.pool.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = ANY($2::text[])',
    [db.schema, [...CHECKPOINT_TABLES]],
  );
  return rows.map((row) => row.table_name);
}

/** Checkpoints keyed "table/name". */
export async function readCheckpoints(db: Database): Promise<Map<string, Position>> {
  const checkpoints = new Map<string, Position>();
  for (const table of await existingCheckpointTables(db)) {
    const { rows } = await db.pool.query<{ name: string; position: string }>(`SELECT name, position FROM ${quoteIdent(db.schema)}.${quoteIdent(table)}`);
    for (const row of rows) checkpoints.set(`${table}/${row.name}`, row.position);
  }
  return checkpoints;
}

export async function writeCheckpoints(db: Database, checkpoints: Map<string, Position>): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    for (const [key, position] of checkpoints) {
      const [table, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
      if (!(CHECKPOINT_TABLES as readonly string[]).includes(table)) continue;
      await client.query(`UPDATE ${quoteIdent(db.schema)}.${quoteIdent(table)} SET position = $2 WHERE name = $1`, [name, position]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

// ---- command line ----------------------------------------------------------------------------

export interface MigrateArguments {
  from: 'postgres' | 'embedded';
  to: 'kurrentdb';
  fromUrl?: string;
  dataDir: string;
  toUrl: string;
  schema: string;
  batchSize: number;
  maxAppendBytes: number;
  translateCheckpoints: boolean;
  verify: boolean;
  /** Only rebuild the idempotency index from the KurrentDB log (no copy). */
  reindex: boolean;
}

export const USAGE = `npm run migrate-store -- --from postgres|embedded --to kurrentdb [options]

  --from postgres        the PostgreSQL store at DATABASE_URL (or --from-url)
  --from embedded        the embedded PGlite store in DATA_DIR (or --data-dir)
  --to kurrentdb         KurrentDB 25.1+ at EVENT_STORE_URL (or --to-url), empty or holding an
                         interrupted copy of this source
  --schema NAME          the store's and read models' schema (default public)
  --batch-size N         events read at a time (default 500)
  --max-append-bytes N   largest append sent, below the server's MaxAppendSize (default 900000)
  --translate-checkpoints  rewrite projection and reactor checkpoints to KurrentDB positions
  --no-verify            skip the event-by-event comparison afterwards (unless translating)
  --reindex              copy nothing: record every KurrentDB event in event_id_index (the repair
                         after a crash between an append and its index write; --from names the
                         read-model database)
The idempotency index (event_id_index) is written into the read-model database of the source.
Stop the API and the workers first.`;

export function parseMigrateArguments(argv: string[], env: NodeJS.ProcessEnv): MigrateArguments {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    if (index < 0) return undefined;
    const next = argv[index + 1];
    if (next === undefined || next.startsWith('--')) throw new MigrationError(`${flag} needs a value\n\n${USAGE}`);
    return next;
  };
  const known = new Set(['--from', '--to', '--from-url', '--to-url', '--data-dir', '--schema', '--batch-size', '--max-append-bytes']);
  const flags = new Set(['--translate-checkpoints', '--no-verify', '--reindex', '--help']);
  for (let i = 0; i < argv.length; i++) {
    if (known.has(argv[i])) i++;
    else if (!flags.has(argv[i])) throw new MigrationError(`unknown argument ${argv[i]}\n\n${USAGE}`);
  }
  if (argv.includes('--help')) throw new MigrationError(USAGE);
  const from = value('--from');
  if (from !== 'postgres' && from !== 'embedded') throw new MigrationError(`--from must be postgres or embedded\n\n${USAGE}`);
  if (value('--to') !== 'kurrentdb') throw new MigrationError(`--to must be kurrentdb\n\n${USAGE}`);
  const fromUrl = value('--from-url') ?? (from === 'postgres' ? env.DATABASE_URL : undefined);
  if (from === 'postgres' && !fromUrl) throw new MigrationError('--from postgres needs DATABASE_URL or --from-url');
  const toUrl = value('--to-url') ?? env.EVENT_STORE_URL;
  if (!toUrl || !/^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//i.test(toUrl)) {
    throw new MigrationError('--to kurrentdb needs a kurrentdb:// (or esdb://) URL in EVENT_STORE_URL or --to-url');
  }
  const number = (flag: string, fallback: number) => {
    const raw = value(flag);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isSafeInteger(parsed) || parsed < 1) throw new MigrationError(`${flag} must be a positive integer`);
    return parsed;
  };
  return {
    from,
    to: 'kurrentdb',
    fromUrl,
    dataDir: value('--data-dir') ?? env.DATA_DIR ?? './data',
    toUrl,
    schema: value('--schema') ?? 'public',
    batchSize: number('--batch-size', 500),
    maxAppendBytes: number('--max-append-bytes', 900_000),
    translateCheckpoints: argv.includes('--translate-checkpoints'),
    verify: !argv.includes('--no-verify'),
    reindex: argv.includes('--reindex'),
  };
}

/** Runs the whole migration; returns the process exit code. `print` gets progress and the summary. */
export async function runMigrateStore(argv: string[], env: NodeJS.ProcessEnv, print: (line: string) => void = console.log): Promise<number> {
  let args: MigrateArguments;
  try {
    args = parseMigrateArguments(argv, env);
  } catch (error) {
    print(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const db = await openDatabase({ databaseUrl: args.from === 'postgres' ? args.fromUrl : undefined, dataDir: args.dataDir, schema: args.schema });
  let source: EventStore | undefined;
  let target: KurrentDbEventStore | undefined;
  try {
    source = args.from === 'postgres' ? await createPostgresEventStore(db, { migrate: false }) : await createEmbeddedEventStore(db, { migrate: false });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KurrentDbEventStore } = require('./kurrentdb-event-store') as typeof import('./kurrentdb-event-store');
    target = await KurrentDbEventStore.open({ url: args.toUrl, idempotency: db });
    if (args.reindex) {
      print(`recorded the ids of ${await target.reindexEventIds()} events in event_id_index`);
      return 0;
    }
    let reported = 0;
    const result = await copyEventStore(source, target, {
      batchSize: args.batchSize,
      maxAppendBytes: args.maxAppendBytes,
      onProgress: (copied) => {
        if (copied - reported >= 10_000) {
          reported = copied;
          print(`copied ${copied} events`);
        }
      },
    });
    print(`copied ${result.copied} events${result.resumedAfter !== START ? ' (resumed after the events the target already held)' : ''}`);
    if (args.verify || args.translateCheckpoints) {
      const checkpoints = args.translateCheckpoints ? await readCheckpoints(db) : undefined;
      const compared = await compareLogs(source, target, checkpoints, args.batchSize);
      if (compared.mismatch) {
        print(`VERIFY FAILED after ${compared.events} events: ${compared.mismatch}`);
        return 1;
      }
      print(`verified: ${compared.events} events identical in both logs`);
      if (checkpoints) {
        await writeCheckpoints(db, compared.checkpoints);
        print(`translated ${compared.checkpoints.size} checkpoints; now rebuild every projection (positions inside read-model rows are the old store's)`);
      }
    }
    print('done: set EVENT_STORE_URL to the KurrentDB URL and start the service');
    return 0;
  } catch (error) {
    print(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await target?.close().catch(() => undefined);
    await source?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
  }
}

if (require.main === module) {
  runMigrateStore(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
