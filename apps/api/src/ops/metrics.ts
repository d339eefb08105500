import { Controller, Get, Header, Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Public } from '@tasking/auth';
import { WrongExpectedRevisionError, type AppendRequest, type AppendResult, type EventStore } from '@tasking/event-store';
import { CLOCK_GUARD, JOBS, PROJECTIONS, RUNTIME_STORE } from '@tasking/runtime';
import type { JobsService } from '@tasking/jobs';
import type { ProjectionRunner } from '@tasking/projections';
import type { ClockGuard } from '@tasking/shared';

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
    @Inject(RUNTIME_STORE) store: EventStore,
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

/** Counts appends and conflicts on the write path without changing what the store does. */
export function meteredStore(store: EventStore, metrics: Metrics): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'append') {
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (requests: AppendRequest[]): Promise<AppendResult> => {
        try {
          const result = await target.append(requests);
          metrics.appends.inc();
          metrics.appendedEvents.inc(requests.reduce((n, r) => n + r.events.length, 0));
          return result;
        } catch (error) {
          if (error instanceof WrongExpectedRevisionError) metrics.conflicts.inc();
          throw error;
        }
      };
    },
  });
}

@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Public()
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    await this.metrics.refresh();
    return this.metrics.registry.metrics();
  }
}
