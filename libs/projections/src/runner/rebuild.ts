import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { START, type Database, type EventStore, type Position } from '@tasking/event-store';
import type { Projection } from '../projection';
import { ident } from '../sql';
import type { Checkpoints } from './checkpoints';
import type { KnownPositions } from './known-positions';
import type { LiveProjection } from './live-projection';
import { inTransaction } from './transaction';

export interface RebuildProgress {
  done: number;
  /** Events in the log when the rebuild started (grows if the log does); null when the store cannot count. */
  total: number | null;
}

export interface RebuildResult {
  projection: string;
  position: Position;
  events: number;
}

interface RebuildTarget {
  readonly live: LiveProjection;
  readonly shadow: string;
  /** Where the shadow tables stand, and how many events they have applied. */
  position: Position;
  events: number;
}

class SwapRetry extends Error {}

const SWAP_ATTEMPTS = 5;

/**
 * Replays the whole log into fresh copies of projections' tables in a schema of their own
 * (committed batches; the live tables keep answering queries and the live loops keep going),
 * then swaps each in within one short transaction: lock the live checkpoint, apply whatever the
 * live loop had got to beyond the copy, replace the tables, set the checkpoint. Queries never
 * find a table missing: they wait the few milliseconds the swap holds its lock. The caller holds
 * the projections' rebuild locks.
 */
export class ShadowRebuild {
  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly db: Pick<Database, 'kind' | 'schema'>,
    private readonly dataSource: DataSource,
    private readonly checkpoints: Pick<Checkpoints, 'countEvents'>,
    private readonly known: Pick<KnownPositions, 'note'>,
    /** Events per batch. */
    private readonly batchSize: number,
  ) {}

  async run(
    lives: readonly LiveProjection[],
    signal: AbortSignal,
    onProgress: ((progress: RebuildProgress) => void) | undefined,
  ): Promise<RebuildResult[]> {
    const liveSchema = this.db.schema;
    const targets: RebuildTarget[] = [];
    try {
      for (const live of lives) targets.push({ live, shadow: await this.createShadow(live.projection), position: START, events: 0 });
      const total = await this.checkpoints.countEvents();
      const report = () => {
        const done = Math.min(...targets.map((target) => target.events));
        onProgress?.({ done, total: total === null ? null : Math.max(total, done) });
      };
      report();
      const replay = (some: readonly RebuildTarget[]) => this.replay(some, liveSchema, signal, report);
      await replay(targets);
      // Swapped-in tables would have no planner statistics and no visibility map until autovacuum
      // (if it runs) gets to them: the planner guesses badly (a 1M-event history: 300 ms against
      // 18 ms) and cannot use index-only scans (39 against 15 ms).
      for (const { live, shadow } of targets) {
        for (const table of live.projection.tables) await this.dataSource.query(`VACUUM (ANALYZE) ${ident(shadow)}.${ident(table)}`);
      }
      const results: RebuildResult[] = [];
      for (const target of targets) {
        const { live } = target;
        // Hold back this process's own live batches of the projection while swapping.
        await live.batches.run(async () => {
          for (let attempt = 1; ; attempt += 1) {
            await replay([target]);
            const swapped = await this.swap(live.projection, target.shadow, target.position, target.events);
            if (swapped) {
              Object.assign(target, swapped);
              live.position = swapped.position;
              this.known.note(live.projection.name, swapped.position);
              results.push({ projection: live.projection.name, position: swapped.position, events: swapped.events });
              return;
            }
            if (attempt >= SWAP_ATTEMPTS) throw new Error(`the rebuild of ${live.projection.name} could not catch up with the live projection`);
          }
        });
      }
      report();
      return results;
    } finally {
      for (const { shadow } of targets) await this.dataSource.query(`DROP SCHEMA IF EXISTS ${ident(shadow)} CASCADE`).catch(() => undefined);
    }
  }

  /** A fresh schema holding empty copies of the projection's tables; leftovers of runs that died are dropped first. */
  private async createShadow(projection: Projection): Promise<string> {
    const liveSchema = this.db.schema;
    // One schema per run; earlier ones of this projection are leftovers (we hold its rebuild lock).
    const prefix = `rb_${createHash('sha256').update(`${liveSchema}/${projection.name}`).digest('hex').slice(0, 12)}`;
    const shadow = `${prefix}_${randomBytes(4).toString('hex')}`;
    const leftovers: { nspname: string }[] = await this.dataSource.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${prefix}\\_%`]);
    for (const { nspname } of leftovers) await this.dataSource.query(`DROP SCHEMA IF EXISTS ${ident(nspname)} CASCADE`);
    await inTransaction(this.dataSource, async (runner) => {
      await runner.query(`CREATE SCHEMA ${ident(shadow)}`);
      for (const table of projection.tables) {
        await runner.query(`CREATE TABLE ${ident(shadow)}.${ident(table)} (LIKE ${ident(liveSchema)}.${ident(table)} INCLUDING ALL)`);
      }
    });
    return shadow;
  }

  /**
   * Applies the log after the targets' (common) position to their shadow tables until it runs
   * out, one committed transaction per batch and projection; the next batch is read while one is
   * applied.
   */
  private async replay(targets: readonly RebuildTarget[], liveSchema: string, signal: AbortSignal, report: () => void): Promise<void> {
    const read = (after: Position) => {
      const reading = this.store.readAll(after, this.batchSize);
      reading.catch(() => undefined); // awaited below; never an unhandled rejection if we stop first
      return reading;
    };
    let next = read(targets[0]!.position);
    for (;;) {
      if (signal.aborted) throw new Error(`the rebuild of ${targets.map((t) => t.live.projection.name).join(', ')} was stopped`);
      const events = await next;
      if (events.length === 0) return;
      const last = events[events.length - 1]!.position;
      next = read(last);
      const applyTo = (target: RebuildTarget) =>
        inTransaction(this.dataSource, async (runner) => {
          await runner.query(`SET LOCAL search_path TO ${ident(target.shadow)}, ${ident(liveSchema)}`);
          await target.live.projection.apply(runner.manager, events);
        });
      if (this.db.kind === 'embedded') {
        for (const target of targets) await applyTo(target);
      } else {
        // Each projection on its own session: one's statements run in PostgreSQL while this
        // process folds the next one's events (the two halves overlap on two cores).
        const settled = await Promise.allSettled(targets.map(applyTo));
        const failed = settled.find((outcome) => outcome.status === 'rejected');
        if (failed) throw failed.reason;
      }
      for (const target of targets) {
        target.position = last;
        target.events += events.length;
      }
      report();
    }
  }

  /** Replaces the live tables with the rebuilt ones; undefined when the live checkpoint is ahead and cannot be caught up here. */
  private async swap(projection: Projection, shadow: string, rebuilt: Position, events: number): Promise<{ position: Position; events: number } | undefined> {
    const liveSchema = this.db.schema;
    const embedded = this.db.kind === 'embedded';
    try {
      return await inTransaction(this.dataSource, async (runner) => {
        await runner.query(`SET LOCAL lock_timeout = '10s'`);
        const [row]: { position: string }[] = await runner.query(
          `SELECT position FROM ${ident(liveSchema)}.projection_checkpoints WHERE name = $1 FOR UPDATE`,
          [projection.name],
        );
        let position = rebuilt;
        let count = events;
        if (row!.position > position) {
          // Only a loop in another process can be ahead (this process's is held back); it now waits
          // on the row locked above. Catch up to it here, reading the log on another pooled session.
          // Embedded has one session and no other process: read outside and try again.
          if (embedded) throw new SwapRetry();
          await runner.query(`SET LOCAL search_path TO ${ident(shadow)}, ${ident(liveSchema)}`);
          while (position < row!.position) {
            const batch = await this.store.readAll(position, this.batchSize);
            if (batch.length === 0) break;
            await projection.apply(runner.manager, batch);
            position = batch[batch.length - 1]!.position;
            count += batch.length;
          }
          if (position < row!.position) throw new SwapRetry();
        }
        for (const table of projection.tables) await this.moveTable(runner, shadow, liveSchema, table);
        await runner.query(
          `UPDATE ${ident(liveSchema)}.projection_checkpoints
              SET position = $2, status = 'running', last_error = NULL, error_position = NULL,
                  updated_at = now(), events_applied = $3
            WHERE name = $1`,
          [projection.name, position, count],
        );
        return { position, events: count };
      });
    } catch (error) {
      if (error instanceof SwapRetry) return undefined;
      throw error;
    }
  }

  /** Drops the live table and moves the rebuilt one in its place, keeping the live index names. */
  private async moveTable(runner: QueryRunner, shadow: string, liveSchema: string, table: string): Promise<void> {
    const indexesSql = 'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2';
    const before: { indexname: string; indexdef: string }[] = await runner.query(indexesSql, [liveSchema, table]);
    await runner.query(`DROP TABLE ${ident(liveSchema)}.${ident(table)}`);
    await runner.query(`ALTER TABLE ${ident(shadow)}.${ident(table)} SET SCHEMA ${ident(liveSchema)}`);
    const after: { indexname: string; indexdef: string }[] = await runner.query(indexesSql, [liveSchema, table]);
    const shape = (def: string) => def.replace(/^(CREATE (?:UNIQUE )?INDEX) \S+ ON /, '$1 ON ');
    const unmatched = [...before];
    for (const index of after) {
      const at = unmatched.findIndex((old) => shape(old.indexdef) === shape(index.indexdef));
      if (at < 0) continue;
      const [old] = unmatched.splice(at, 1);
      if (old!.indexname !== index.indexname) {
        await runner.query(`ALTER INDEX ${ident(liveSchema)}.${ident(index.indexname)} RENAME TO ${ident(old!.indexname)}`);
      }
    }
  }
}
