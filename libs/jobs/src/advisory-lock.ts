import pg from 'pg';

/**
 * One session-level advisory lock on a dedicated connection (mirrors the projection runner's
 * lock session): held while the session lives, gone if it drops, so a standby process takes over.
 * Postgres only; the embedded store is one process and needs none.
 */
export class AdvisoryLock {
  private client: pg.Client | undefined;
  private held = false;
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly key: string,
  ) {}

  async tryHold(): Promise<boolean> {
    if (this.held && this.client) return true;
    if (this.closed) return false;
    if (!this.client) {
      const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true, application_name: 'tasking-ledger jobs reactor' });
      const dropped = () => {
        if (this.client === client) {
          this.client = undefined;
          this.held = false;
        }
        client.end().catch(() => undefined);
      };
      client.on('error', dropped);
      client.on('end', dropped);
      await client.connect();
      if (this.closed) {
        await client.end().catch(() => undefined);
        return false;
      }
      this.client = client;
    }
    const { rows } = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [this.key]);
    this.held = rows[0]?.locked === true;
    return this.held;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.held = false;
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }
}
