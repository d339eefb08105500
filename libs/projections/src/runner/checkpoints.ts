import type { DataSource } from 'typeorm';
import { START, type Position, type RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { inTransaction } from './transaction';

/** A projection's checkpoint row, as `positions()` reports it. */
export interface ProjectionCheckpoint {
  name: string;
  /** The position of the last event applied (START before the first). */
  position: Position;
  /** `failed`: an event's apply threw; the projection stands at the event before it until restarted or rebuilt. */
  status: 'running' | 'failed';
  lastError: string | null;
  /** The position of the event whose apply failed. */
  errorPosition: Position | null;
  updatedAt: string;
  /** Events applied up to `position` (every event of the log counts, relevant to the projection or not). */
  eventsApplied: number;
}

/** `applied`: the checkpoint moved to `position`; `moved`: someone else had moved it, to `position`. */
export type AdvanceOutcome = { kind: 'applied'; position: Position } | { kind: 'moved'; position: Position };

interface CheckpointRow {
  name: string;
  position: string;
  status: 'running' | 'failed';
  last_error: string | null;
  error_position: string | null;
  updated_at: Date;
  events_applied: string;
}

/**
 * The `projection_checkpoints` table: one row per projection, created on first use, moved only
 * together with the batch it records (compare-and-set in the batch's transaction).
 */
export class Checkpoints {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly names: readonly string[],
  ) {}

  /** Creates the missing rows (once per process; tried again after a failure). */
  ensure(): Promise<void> {
    this.ready ??= this.dataSource
      .query('INSERT INTO projection_checkpoints (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING', [this.names])
      .then(
        () => undefined,
        (error: unknown) => {
          this.ready = undefined;
          throw error;
        },
      );
    return this.ready;
  }

  /** Every projection's checkpoint, in the order of `names`. */
  async all(): Promise<ProjectionCheckpoint[]> {
    await this.ensure();
    const rows: CheckpointRow[] = await this.dataSource.query(
      `SELECT name, position, status, last_error, error_position, updated_at, events_applied
         FROM projection_checkpoints WHERE name = ANY($1::text[])`,
      [this.names],
    );
    const byName = new Map(rows.map((row) => [row.name, row]));
    return this.names.map((name) => {
      const row = byName.get(name)!;
      return {
        name,
        position: row.position,
        status: row.status,
        lastError: row.last_error,
        errorPosition: row.error_position,
        updatedAt: row.updated_at.toISOString(),
        eventsApplied: Number(row.events_applied),
      };
    });
  }

  /** The positions of `names`. */
  async positions(names: readonly string[]): Promise<{ name: string; position: Position }[]> {
    await this.ensure();
    return this.dataSource.query('SELECT name, position FROM projection_checkpoints WHERE name = ANY($1::text[])', [names]);
  }

  async position(name: string): Promise<Position> {
    await this.ensure();
    const [row]: { position: string }[] = await this.dataSource.query('SELECT position FROM projection_checkpoints WHERE name = $1', [name]);
    return row?.position ?? START;
  }

  /** One transaction: check the checkpoint still stands at `from` (else someone else applied), apply, move it. */
  async applyBatch(projection: Projection, from: Position, events: readonly RecordedEvent[]): Promise<AdvanceOutcome> {
    const last = events[events.length - 1]!.position;
    return inTransaction(this.dataSource, async (runner) => {
      const [row]: { position: string }[] = await runner.query(
        'SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE',
        [projection.name],
      );
      if (!row) throw new Error(`projection ${projection.name} has no checkpoint row`);
      if (row.position !== from) return { kind: 'moved', position: row.position } as const;
      await projection.apply(runner.manager, events);
      await runner.query(
        `UPDATE projection_checkpoints
            SET position = $2, status = 'running', last_error = NULL, error_position = NULL,
                updated_at = now(), events_applied = events_applied + $3
          WHERE name = $1`,
        [projection.name, last, events.length],
      );
      return { kind: 'applied', position: last } as const;
    });
  }

  /** Marks the projection failed at `errorPosition`, if its checkpoint still stands at `at`. */
  async markFailed(name: string, at: Position, message: string, errorPosition: Position): Promise<void> {
    await this.dataSource.query(
      `UPDATE projection_checkpoints
          SET status = 'failed', last_error = $3, error_position = $4, updated_at = now()
        WHERE name = $1 AND position = $2`,
      [name, at, message, errorPosition],
    );
  }

  /**
   * Events in the log, for lag and rebuild progress. Reads the SQL store's `events` table, which
   * lives in the same schema as the read models; null where the store is elsewhere.
   */
  async countEvents(): Promise<number | null> {
    try {
      const [row]: { n: string }[] = await this.dataSource.query('SELECT count(*)::text AS n FROM events');
      return Number(row!.n);
    } catch {
      return null;
    }
  }
}
