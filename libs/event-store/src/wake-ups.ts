import pg from 'pg';

/** An in-process counter that moves on every append this process made or heard of. */
export class AppendTick {
  private value = 0;
  private readonly waiters = new Set<() => void>();
  private released = false;

  current(): number {
    return this.value;
  }

  bump(): void {
    this.value++;
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves when the tick moves past `sinceTick`, after `timeoutMs`, when the signal aborts, or once released. */
  wait(sinceTick: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.value !== sinceTick || signal?.aborted || this.released) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** Releases every waiter, now and from now on (the store is closing). */
  releaseAll(): void {
    this.released = true;
    for (const wake of [...this.waiters]) wake();
  }
}

/** The channel other processes LISTEN on; the payload names the schema that was appended to. */
export const APPEND_CHANNEL = 'events_appended';

/**
 * Sends `NOTIFY events_appended` after appends commit: outside the append transaction (a NOTIFY
 * inside it would serialise every commit on the notification queue lock) and at most once per
 * `intervalMs`. A notify is always sent after the commit that asked for it, so no append is
 * left unannounced: appends within one interval share the next notify.
 */
export class NotifyCoalescer {
  private timer: NodeJS.Timeout | undefined;
  private lastSentAt = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly payload: string,
    private readonly intervalMs = 5,
  ) {}

  /** Called after each commit. */
  schedule(): void {
    if (this.timer || this.closed) return;
    const delay = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.send(), delay);
  }

  private send(): void {
    this.timer = undefined;
    this.lastSentAt = Date.now();
    // A lost notify only delays other processes until their safety poll.
    this.inFlight = this.pool
      .query('SELECT pg_notify($1, $2)', [APPEND_CHANNEL, this.payload])
      .then(() => undefined, () => undefined);
  }

  /** Sends a pending notify now and waits for the last one; no more afterwards. */
  async close(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.send();
    }
    this.closed = true;
    await this.inFlight;
  }
}

/** How the LISTEN session names itself in pg_stat_activity (the server keeps 63 characters). */
export function listenerApplicationName(schema: string): string {
  return `tl-event-store-listener:${schema}`;
}

/**
 * A dedicated session that LISTENs for other processes' appends and calls `onAppend` (also after
 * each reconnect, since notifications may have been missed while it was away). Reconnects with
 * backoff when the session drops.
 */
export class AppendListener {
  private client: pg.Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 100;
  private stopped = false;

  constructor(
    private readonly connectionString: string,
    private readonly payload: string,
    private readonly onAppend: () => void,
  ) {}

  /** Connects the first time; throws if that fails (later drops are retried in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: listenerApplicationName(this.payload) });
    client.on('notification', (message) => {
      if (message.channel === APPEND_CHANNEL && message.payload === this.payload) this.onAppend();
    });
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${APPEND_CHANNEL}`);
    } catch (error) {
      this.dropped(client);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.retryDelayMs = 100;
    this.onAppend();
  }

  private dropped(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (this.stopped || this.retryTimer) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped) this.connect().catch(() => undefined);
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }
}
