import IORedis, { type RedisOptions } from 'ioredis';

export interface JobsLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleJobsLogger: JobsLogger = {
  info: (message) => console.log(`[jobs] ${message}`),
  warn: (message) => console.warn(`[jobs] ${message}`),
  error: (message) => console.error(`[jobs] ${message}`),
};

/**
 * `disabled`: this process uses no queues; `connecting`: not reached yet; `up`; `down`: was
 * reached, lost; `refused`: reached, but its settings make it unfit for jobs (eviction policy).
 */
export type RedisState = 'disabled' | 'connecting' | 'up' | 'down' | 'refused';

export interface RedisStatus {
  status: RedisState;
  /** For the readiness body: jobs are `degraded`, never a failed readiness. */
  health: 'ok' | 'degraded';
  detail?: string;
  since: string;
}

/** The URL with any password hidden, for messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured Redis';
  }
}

export class RedisEvictionPolicyError extends Error {
  readonly code = 'REDIS_EVICTION_POLICY';
  constructor(
    readonly url: string,
    readonly policy: string,
  ) {
    super(
      `Redis at ${redactRedisUrl(url)} has maxmemory-policy ${policy}, which can silently evict queued jobs: set maxmemory-policy noeviction; the job workers will not run until then`,
    );
    this.name = 'RedisEvictionPolicyError';
  }
}

export class RedisUnavailableError extends Error {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(message = 'Redis is unreachable') {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

/** The work, or RedisUnavailableError with this message once `ms` have passed. */
export function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisUnavailableError(message)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The server's eviction policy, from INFO (works where CONFIG is disabled, as on managed services). */
export async function maxmemoryPolicy(redis: IORedis): Promise<string> {
  const info = await redis.info('memory');
  const match = /^maxmemory_policy:(\S+)/m.exec(info);
  if (match) return match[1]!;
  const config = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
  return config[1] ?? 'unknown';
}

export async function assertNoEviction(redis: IORedis, url: string): Promise<void> {
  const policy = await maxmemoryPolicy(redis);
  if (policy !== 'noeviction') throw new RedisEvictionPolicyError(url, policy);
}

const reconnect = (times: number): number => Math.min(200 * 2 ** Math.min(times, 8), 5000);

/**
 * The Redis connections of one process. Workers get their own connections with
 * `maxRetriesPerRequest: null` (BullMQ's blocking commands wait out an outage). Producers share
 * one with `enableOfflineQueue: false`, so a command sent while Redis is away fails at once
 * instead of queueing in memory: the request path answers, the reactor backs off and retries.
 */
export class RedisConnections {
  private producerClient: IORedis | undefined;
  private readonly workers = new Set<IORedis>();
  private state: RedisState = 'connecting';
  private detail: string | undefined;
  private since = new Date();
  private closed = false;

  get isClosed(): boolean {
    return this.closed;
  }

  constructor(
    readonly url: string,
    private readonly logger: JobsLogger,
    private readonly connectionName = 'tasking-ledger',
  ) {}

  /** The shared producer connection (created on first use; it reconnects by itself). */
  producer(): IORedis {
    if (this.closed) throw new Error('the Redis connections of this process are closed');
    if (!this.producerClient) {
      const client = new IORedis(this.url, this.options({ enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000 }, 'producer'));
      client.on('ready', () => this.transition('up'));
      client.on('error', (error: Error) => this.transition(this.state === 'connecting' ? 'connecting' : 'down', error.message));
      client.on('end', () => this.transition('down', 'connection ended'));
      client.on('close', () => {
        if (this.state === 'up') this.transition('down', 'connection closed');
      });
      this.producerClient = client;
    }
    return this.producerClient;
  }

  /** A new connection for a BullMQ worker; closed with the others. */
  worker(role: string): IORedis {
    const client = new IORedis(this.url, this.options({ maxRetriesPerRequest: null, enableOfflineQueue: true }, role));
    client.on('error', () => undefined); // the producer connection reports the state; avoid unhandled 'error'
    this.workers.add(client);
    return client;
  }

  /** True when the producer connection is connected and ready for commands. */
  isUp(): boolean {
    return !this.closed && this.producer().status === 'ready';
  }

  /** Resolves true once the producer connection is ready, false after `timeoutMs`. */
  async waitUntilUp(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.closed) return false;
    const client = this.producer();
    if (client.status === 'ready') return true;
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onReady = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(client.status === 'ready'), timeoutMs);
      client.on('ready', onReady);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  refuse(detail: string): void {
    this.transition('refused', detail);
  }

  status(): RedisStatus {
    if (this.producerClient && this.state !== 'refused') {
      const ready = this.producerClient.status === 'ready';
      if (ready && this.state !== 'up') this.transition('up');
    }
    return {
      status: this.state,
      health: this.state === 'up' ? 'ok' : 'degraded',
      ...(this.detail ? { detail: this.detail } : {}),
      since: this.since.toISOString(),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = [...this.workers, ...(this.producerClient ? [this.producerClient] : [])];
    this.workers.clear();
    this.producerClient = undefined;
    await Promise.all(
      clients.map(async (client) => {
        if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
        else client.disconnect();
      }),
    );
  }

  private options(extra: RedisOptions, role: string): RedisOptions {
    return { connectionName: `${this.connectionName}:${role}`, retryStrategy: reconnect, lazyConnect: false, ...extra };
  }

  private transition(state: RedisState, detail?: string): void {
    if (this.closed || this.state === 'refused') return;
    if (state === this.state) {
      if (detail) this.detail = detail;
      return;
    }
    const before = this.state;
    this.state = state;
    this.detail = state === 'up' ? undefined : detail;
    this.since = new Date();
    if (state === 'up') this.logger.info(`Redis at ${redactRedisUrl(this.url)} is reachable`);
    else if (state === 'down' && before === 'up') this.logger.warn(`Redis at ${redactRedisUrl(this.url)} is unreachable (${detail ?? 'disconnected'}); jobs wait in the event log until it is back`);
  }
}
