import type { Database } from '@tasking/event-store';
import { AdvisoryLockSession } from './advisory-locks';

/**
 * The runner's advisory locks: on PostgreSQL one session of this process, dialled when first
 * needed and closed by `close()` (the next use dials a new one); embedded, none (one process).
 */
export class ProjectionLocks {
  private current: AdvisoryLockSession | undefined;

  constructor(private readonly db: Pick<Database, 'kind' | 'connectionString'>) {}

  /** The lock session; undefined embedded. */
  session(): AdvisoryLockSession | undefined {
    if (this.db.kind === 'embedded') return undefined;
    if (!this.db.connectionString) throw new Error('a postgres Database without a connection string cannot hold projection locks');
    this.current ??= new AdvisoryLockSession(this.db.connectionString);
    return this.current;
  }

  /** Takes the lock if free (or already ours); always true embedded. */
  async hold(key: string): Promise<boolean> {
    const locks = this.session();
    return locks ? locks.tryLock(key) : true;
  }

  /** Whether this process holds the lock now (always embedded); never dials. */
  holds(key: string): boolean {
    return this.db.kind === 'embedded' || (this.current?.holds(key) ?? false);
  }

  /** Ends the session, releasing every lock it holds. */
  async close(): Promise<void> {
    const locks = this.current;
    this.current = undefined;
    await locks?.close();
  }
}
