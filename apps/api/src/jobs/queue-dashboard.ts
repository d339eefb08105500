import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DashboardTickets, RedisUnavailableError, type JobsService } from '@tasking/jobs';
import { statusOf, type Config } from '@tasking/shared';
import { CONFIG, JOBS } from '@tasking/runtime';

const COOKIE = 'tl_queues';

const cookieOf = (request: FastifyRequest, name: string): string | undefined => {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
};

const TITLES = { UNAUTHENTICATED: 'Unauthorized', READ_ONLY: 'Method Not Allowed', SERVICE_UNAVAILABLE: 'Service Unavailable' } as const;

const deny = (reply: FastifyReply, code: keyof typeof TITLES, detail: string) => {
  const status = statusOf(code);
  return reply
    .status(status)
    .type('application/problem+json')
    .header('cache-control', 'no-store')
    .send({ type: 'about:blank', title: TITLES[code], status, detail, code });
};

/**
 * The queue dashboard (bull-board) at /admin/queues, served only when QUEUE_DASHBOARD=true and
 * only to a browser holding a dashboard session: `POST /v1/admin/queues/ticket` (an operator's
 * bearer token) gives a URL with a single-use ticket; its first use sets an httpOnly,
 * SameSite=Strict cookie scoped to /admin/queues and redirects to the bare path, so no token or
 * ticket lingers in the address bar or the history. Read-only: bull-board's queues are in its
 * read-only mode, and any method but GET and HEAD is refused before it. It shows every
 * partnership's queues, which hold ids only (job data, results, failure messages without stacks).
 */
@Injectable()
export class DashboardAccess implements OnModuleInit {
  static readonly BASE_PATH = '/admin/queues';
  private readonly logger = new Logger('queue-dashboard');
  private readonly tickets: DashboardTickets | undefined;

  constructor(
    @Inject(JOBS) private readonly jobs: JobsService | undefined,
    @Inject(CONFIG) private readonly config: Config,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.tickets = jobs
      ? new DashboardTickets(() => jobs.redis.producer(), { namespace: `${jobs.namespace}:${config.queuePrefix}` })
      : undefined;
  }

  issue(userId: string): Promise<{ ticket: string; expiresInSeconds: number }> {
    if (!this.tickets || !this.jobs?.redis.isUp()) return Promise.reject(new RedisUnavailableError());
    return this.tickets.issue(userId);
  }

  async onModuleInit(): Promise<void> {
    const jobs = this.jobs;
    if (!this.config.queueDashboard || !jobs || !this.tickets) return;
    const tickets = this.tickets;
    const { createBullBoard } = await import('@bull-board/api');
    const { BullMQAdapter } = await import('@bull-board/api/bullMQAdapter');
    const { FastifyAdapter } = await import('@bull-board/fastify');
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(DashboardAccess.BASE_PATH);
    createBullBoard({
      queues: jobs.queues().map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Tasking Ledger jobs' } },
    });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const secure = (request: FastifyRequest) => request.protocol === 'https';
    await fastify.register(
      async (scope) => {
        scope.addHook('onRequest', async (request, reply) => {
          if (request.method !== 'GET' && request.method !== 'HEAD') {
            reply.header('allow', 'GET, HEAD');
            return deny(reply, 'READ_ONLY', 'the queue dashboard is read-only');
          }
          if (!jobs.redis.isUp()) return deny(reply, 'SERVICE_UNAVAILABLE', 'Redis is unreachable: the queue dashboard is unavailable');
          const ticket = (request.query as Record<string, unknown> | undefined)?.['ticket'];
          if (typeof ticket === 'string') {
            const session = await tickets.redeem(ticket).catch(() => undefined);
            if (!session) return deny(reply, 'UNAUTHENTICATED', 'this dashboard ticket is unknown, expired or used: ask for a new one');
            const cookie = [
              `${COOKIE}=${session}`,
              `Path=${DashboardAccess.BASE_PATH}`,
              'HttpOnly',
              'SameSite=Strict',
              `Max-Age=${tickets.sessionTtlSeconds}`,
              ...(secure(request) ? ['Secure'] : []),
            ].join('; ');
            return reply.status(303).header('set-cookie', cookie).header('location', `${DashboardAccess.BASE_PATH}/`).header('cache-control', 'no-store').send();
          }
          if (!(await tickets.validSession(cookieOf(request, COOKIE)).catch(() => false))) {
            return deny(reply, 'UNAUTHENTICATED', 'open the queue dashboard through POST /v1/admin/queues/ticket');
          }
          reply.header('cache-control', 'no-store');
          return undefined;
        });
        // The bare path (the ticket URL) lands here; the board itself lives under the slash.
        scope.get('', async (_request, reply) => reply.status(303).header('location', `${DashboardAccess.BASE_PATH}/`).send());
        await scope.register(serverAdapter.registerPlugin(), { prefix: '/' });
      },
      { prefix: DashboardAccess.BASE_PATH },
    );
    this.logger.log(`queue dashboard at ${DashboardAccess.BASE_PATH} (read-only; operators, through single-use tickets)`);
  }
}
