import { createHash, randomBytes } from 'node:crypto';
import type IORedis from 'ioredis';

const hash = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export interface DashboardTicketOptions {
  /** Key namespace (QUEUE_PREFIX and schema). */
  namespace: string;
  ticketTtlSeconds?: number;
  sessionTtlSeconds?: number;
}

/**
 * Browser access to the queue dashboard without a bearer token in a URL: an admin's bearer token
 * buys a ticket (single use, one minute); the first request carrying it trades it for a session
 * id set as an httpOnly same-site cookie (half an hour). Kept in Redis (the dashboard is useless
 * without it anyway), hashed, so any API replica can redeem them and a Redis dump holds no usable one.
 */
export class DashboardTickets {
  private readonly ticketTtl: number;
  private readonly sessionTtl: number;

  constructor(
    private readonly redis: () => IORedis,
    private readonly options: DashboardTicketOptions,
  ) {
    this.ticketTtl = options.ticketTtlSeconds ?? 60;
    this.sessionTtl = options.sessionTtlSeconds ?? 1800;
  }

  get sessionTtlSeconds(): number {
    return this.sessionTtl;
  }

  async issue(userId: string): Promise<{ ticket: string; expiresInSeconds: number }> {
    const ticket = randomBytes(32).toString('base64url');
    await this.redis().set(this.key('ticket', ticket), userId, 'EX', this.ticketTtl, 'NX');
    return { ticket, expiresInSeconds: this.ticketTtl };
  }

  /** Single use: the ticket is deleted as it is read. Returns a new session id, or undefined. */
  async redeem(ticket: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(ticket)) return undefined;
    const userId = await this.redis().getdel(this.key('ticket', ticket));
    if (!userId) return undefined;
    const session = randomBytes(32).toString('base64url');
    await this.redis().set(this.key('session', session), userId, 'EX', this.sessionTtl);
    return session;
  }

  async validSession(session: string | undefined): Promise<boolean> {
    if (!session || !/^[A-Za-z0-9_-]{20,100}$/.test(session)) return false;
    return (await this.redis().exists(this.key('session', session))) === 1;
  }

  private key(kind: 'ticket' | 'session', value: string): string {
    return `${this.options.namespace}:dashboard:${kind}:${hash(value)}`;
  }
}
