import { randomBytes } from 'node:crypto';
import { isStorageFull, START, type Position } from '@tasking/event-store';
import type { Runtime } from '@tasking/runtime';

/**
 * Start-up is done once `begin()` has been called (migrations ran when the runtime opened; the
 * demo seed, where due, was written before) and every projection has caught up with the log as
 * it stood at that moment. After that, readiness depends only on the databases answering.
 */
export class Readiness {
  private startHead: Position | undefined;
  private caughtUp = false;
  /** Set when a write failed for lack of space; cleared by the next write that succeeds. */
  private storageFull: { since: string; reason: string } | undefined;

  constructor(private readonly runtime: Pick<Runtime, 'store' | 'projections' | 'db'>) {}

  async begin(): Promise<void> {
    this.startHead = await this.runtime.store.headPosition();
  }

  get started(): boolean {
    return this.startHead !== undefined;
  }

  /** Whether the projections have reached the log as it stood at start; remembered once true. */
  async projectionsCaughtUp(): Promise<{ caughtUp: boolean; startHead: Position; position: Position }> {
    const startHead = this.startHead ?? START;
    const position = await this.runtime.projections.positionOf();
    if (!this.caughtUp && this.startHead !== undefined && position >= startHead) this.caughtUp = true;
    return { caughtUp: this.caughtUp, startHead, position };
  }

  /** Called with every append's outcome: a storage-full failure fails readiness until a write succeeds. */
  noteWrite(error?: unknown): void {
    if (error === undefined) this.storageFull = undefined;
    else if (isStorageFull(error) && !this.storageFull) {
      this.storageFull = { since: new Date().toISOString(), reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * Whether the database can write. While a write has failed for lack of space, each check tries a
   * write of its own (a table of about 256 KB, rolled back) so readiness comes back once space does,
   * even with no traffic reaching an instance the balancer took out of service.
   */
  async storage(): Promise<{ full: false } | { full: true; since: string; reason: string }> {
    const noted = this.storageFull;
    if (!noted) return { full: false };
    const client = await this.runtime.db.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query(`CREATE TABLE storage_probe_${randomBytes(6).toString('hex')} AS SELECT repeat('x', 1000) AS filler FROM generate_series(1, 256)`);
      await client.query('ROLLBACK');
      this.storageFull = undefined;
      return { full: false };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      if (!isStorageFull(error)) throw error;
      return { full: true, ...noted };
    } finally {
      client.release(broken);
    }
  }
}

export const READINESS = Symbol('READINESS');
