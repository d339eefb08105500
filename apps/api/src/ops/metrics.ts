import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Controller, Get, Header, Headers, Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Public } from '@tasking/auth';
import { WrongExpectedRevisionError, type AppendRequest, type AppendResult, type EventStore } from '@tasking/event-store';
import { CLOCK_GUARD, CONFIG, EVENT_LOG, JOBS, PROJECTIONS } from '@tasking/runtime';
import type { JobsService } from '@tasking/jobs';
import type { ProjectionRunner } from '@tasking/projections';
import { ApiError, type ClockGuard, type Config } from '@tasking/shared';

/** The sequence part of a position, as a number a dashboard can plot (positions are opaque elsewhere). */
const sequenceOf = (position: string): number => {
  const tail = position.split('-').pop() ?? '';
  return /^\d+$/.test(tail) ? Number(tail) : 0;
};

/** One registry per application, so several apps in one process (tests) never share counters. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly appends = new Counter({ name: 'event_store_appends_total', help: 'successful appends (one per command)', registers: [this.registry] });
  readonly appendedEvents = new Counter({ name: 'event_store_events_appended_total', help: 'events appended', registers: [this.registry] });
  /** Reads projections and queues into their gauges; called before each scrape. */
  readonly refresh: () => Promise<void>;
  readonly conflicts = new Counter({ name: 'event_store_append_conflicts_total', help: 'appends refused for a stale expected revision', registers: [this.registry] });

  constructor(
    // The store as opened, not the metered EVENT_STORE: Metrics cannot depend on what it builds.
    @Inject(EVENT_LOG) store: EventStore,
    @Inject(PROJECTIONS) projections: ProjectionRunner,
    @Inject(JOBS) jobs: JobsService | undefined,
    @Inject(CLOCK_GUARD) clockGuard: ClockGuard | undefined,
  ) {
    collectDefaultMetrics({ register: this.registry });
    // Gauges read at scrape time (refresh() runs first: prom-client collects metrics concurrently).
    const projectionPosition = new Gauge({ name: 'projection_position_sequence', help: 'sequence part of each projection checkpoint', labelNames: ['projection'], registers: [] });
    const projectionLag = new Gauge({ name: 'projection_lag_events', help: 'events in the log not yet applied by each projection (approximate: sequence distance)', labelNames: ['projection'], registers: [] });
    const projectionFailed = new Gauge({ name: 'projection_failed', help: '1 when a projection stopped on a failing event', labelNames: ['projection'], registers: [] });
    const queueJobs = new Gauge({ name: 'queue_jobs', help: 'jobs per queue and state', labelNames: ['queue', 'state'], registers: [] });
    const headSequence = new Gauge({ name: 'event_store_head_sequence', help: 'sequence part of the last visible position', registers: [] });
    const clockJump = new Gauge({
      name: 'clock_jump_held',
      help: '1 while a wall-clock jump holds the retention sweep and deadline jobs back',
      registers: [],
      collect() {
        this.set(clockGuard?.status.ok === false ? 1 : 0);
      },
    });
    this.refresh = async () => {
      try {
        const [head, positions] = await Promise.all([store.headPosition(), projections.positions()]);
        headSequence.set(sequenceOf(head));
        for (const p of positions) {
          projectionPosition.set({ projection: p.name }, sequenceOf(p.position));
          // Sequences are dense but for rolled-back appends, so this is the lag to within those gaps.
          projectionLag.set({ projection: p.name }, p.position >= head ? 0 : Math.max(0, sequenceOf(head) - sequenceOf(p.position)));
          projectionFailed.set({ projection: p.name }, p.status === 'failed' ? 1 : 0);
        }
        const counts = (await jobs?.queueCounts().catch(() => undefined)) ?? {};
        for (const [queue, states] of Object.entries(counts)) {
          for (const [state, n] of Object.entries(states)) queueJobs.set({ queue, state }, n);
        }
      } catch {
        // The database is not answering: keep the last figures; /health/ready says why.
      }
    };
    for (const gauge of [headSequence, projectionPosition, projectionLag, projectionFailed, queueJobs, clockJump]) this.registry.registerMetric(gauge);
  }
}

/**
 * Counts appends and conflicts on the write path without changing what the store does, and tells
 * `noteWrite` (readiness: storage full) how each append went.
 */
export function meteredStore(store: EventStore, metrics: Metrics, noteWrite: (error?: unknown) => void = () => undefined): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') {
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (requests: AppendRequest[]): Promise<AppendResult> => {
        try {
          const result = await target.append(requests);
          noteWrite();
          metrics.appends.inc();
          metrics.appendedEvents.inc(requests.reduce((n, r) => n + r.events.length, 0));
          return result;
        } catch (error) {
          if (error instanceof WrongExpectedRevisionError) metrics.conflicts.inc();
          else noteWrite(error);
          throw error;
        }
      };
    },
  });
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Whether an Authorization header carries the metrics token (compared in constant time). */
export function carriesMetricsToken(authorization: string | undefined, token: string): boolean {
  const sent = /^Bearer (\S{1,512})$/.exec(authorization ?? '')?.[1];
  return sent !== undefined && timingSafeEqual(digest(sent), digest(token));
}

async function scrape(metrics: Metrics): Promise<string> {
  await metrics.refresh();
  return metrics.registry.metrics();
}

/**
 * GET /metrics on the API port answers only to METRICS_TOKEN (a bearer token of its own, not a
 * user's); without one configured it is not served there (METRICS_PORT may serve it instead).
 */
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Public()
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    const token = this.config.metricsToken;
    if (token === undefined) throw new ApiError('NOT_FOUND', 'metrics are not served on this port (see METRICS_TOKEN and METRICS_PORT)');
    if (!carriesMetricsToken(authorization, token)) {
      throw new ApiError('UNAUTHENTICATED', 'the metrics token is required', undefined, { 'www-authenticate': 'Bearer' });
    }
    return scrape(this.metrics);
  }
}

/**
 * METRICS_PORT: /metrics without a token on a port of its own (a scraper on a private network);
 * every other path there answers 404. Resolves once listening.
 */
export async function serveMetricsPort(metrics: Metrics, host: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    scrape(metrics).then(
      (text) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text),
      () => response.writeHead(503).end(),
    );
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
