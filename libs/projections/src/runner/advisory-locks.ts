import pg from 'pg';
import { Mutex } from './async';

/**
 * Session-level advisory locks held on a dedicated connection of this process (not from the pool:
 * a pooled session would be shared with queries and returned to the pool). If the session drops,
 * its locks are gone: `holds` turns false and the next `tryLock` dials a new session.
 * Postgres only: in embedded mode there is one process, so no lock is needed, and PGlite's one
 * session must not be taken by anyone but the pool.
 */
export class AdvisoryLockSession {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly held = new Set<string>();
  /** One statement at a time on the session (the loops of every projection share it). */
  private readonly statements = new Mutex();
  private closed = false;

  constructor(private readonly connectionString: string) {}

  holds(key: string): boolean {
    return this.held.has(key);
  }

  /** Takes the lock if free (or already ours); false when another session holds it. */
  async tryLock(key: string): Promise<boolean> {
    if (this.held.has(key)) return true;
    return this.statements.run(async () => {
      if (this.held.has(key)) return true;
      const client = await this.session();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [key]);
      if (rows[0]?.locked && this.client === client) this.held.add(key);
      return this.held.has(key);
    });
  }

  async unlock(key: string): Promise<void> {
    if (!this.held.delete(key)) return;
    await this.statements.run(async () => {
      await this.client?.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined);
    });
  }

  /** Ends the session, which releases every lock it holds. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.dropped(client);
    await this.connecting?.catch(() => undefined);
    if (client) await client.end().catch(() => undefined);
  }

  private session(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('the lock session is closed'));
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true, application_name: 'tasking-ledger projections' });
      client.on('error', () => this.dropped(client));
      client.on('end', () => this.dropped(client));
      try {
        await client.connect();
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      } finally {
        this.connecting = undefined;
      }
      if (this.closed) {
        await client.end().catch(() => undefined);
        throw new Error('the lock session is closed');
      }
      this.client = client;
      return client;
    })();
    return this.connecting;
  }

  private dropped(client: pg.Client | undefined): void {
    if (!client || this.client !== client) return;
    this.client = undefined;
    this.held.clear();
    client.end().catch(() => undefined);
  }
}
