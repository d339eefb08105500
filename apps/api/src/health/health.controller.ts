import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Public } from '@tasking/auth';
import { CLOCK_GUARD, JOBS, PROJECTIONS, READ_MODELS } from '@tasking/runtime';
import { EVENT_STORE } from '@tasking/application';
import type { EventStore } from '@tasking/event-store';
import type { ProjectionRunner, ReadModels } from '@tasking/projections';
import type { ClockGuard } from '@tasking/shared';
import type { JobsService } from '@tasking/jobs';
import { READINESS, type Readiness } from './readiness';

const PING_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly models: ReadModels,
    @Inject(PROJECTIONS) private readonly runner: ProjectionRunner,
    @Inject(CLOCK_GUARD) private readonly clockGuard: ClockGuard | undefined,
    @Inject(JOBS) private readonly jobs: JobsService | undefined,
    @Inject(READINESS) private readonly readiness: Readiness,
  ) {}

  /** The process is up. */
  @Public()
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready once start-up is done and while the event store and read-model database answer and
   * the database has room to write.
   * Projection lag, Redis and a wall-clock jump are reported as `degraded`, never failing readiness, so one stuck
   * projection does not take every instance out of service.
   */
  @Public()
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.startup(),
      () => this.eventStore(),
      () => this.readModels(),
      () => this.storage(),
      () => this.projections(),
      () => this.redis(),
      () => this.clock(),
    ]);
  }

  /** Down from a write refused for lack of space until a write succeeds (the check tries one). */
  private async storage(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('storage');
    try {
      const status = await withTimeout(this.readiness.storage(), PING_TIMEOUT_MS);
      return status.full ? check.down({ reason: 'the database has no space left to write', since: status.since, error: status.reason }) : check.up();
    } catch (error) {
      return check.down({ reason: (error as Error).message });
    }
  }

  private async startup(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('startup');
    if (!this.readiness.started) return check.down({ reason: 'starting: migrations and seed not finished' });
    const { caughtUp, startHead, position } = await this.readiness.projectionsCaughtUp();
    return caughtUp ? check.up() : check.down({ reason: 'projections catching up with the log as it stood at start', startHead, position });
  }

  private eventStore(): Promise<HealthIndicatorResult> {
    return this.ping('eventStore', () => this.store.headPosition());
  }

  private readModels(): Promise<HealthIndicatorResult> {
    return this.ping('readModels', () => this.models.dataSource.query('SELECT 1'));
  }

  /** `name` is up when `probe` answers within PING_TIMEOUT_MS, down with the reason otherwise. */
  private async ping(name: string, probe: () => Promise<unknown>): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(name);
    try {
      await withTimeout(probe(), PING_TIMEOUT_MS);
      return check.up();
    } catch (error) {
      return check.down({ reason: (error as Error).message });
    }
  }

  private async projections(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('projections');
    try {
      const [head, positions] = await withTimeout(Promise.all([this.store.headPosition(), this.runner.positions()]), PING_TIMEOUT_MS);
      const behind = positions.filter((p) => p.position < head).map((p) => p.name);
      const failed = positions.filter((p) => p.status === 'failed').map((p) => p.name);
      return check.up(behind.length || failed.length ? { degraded: true, behind, failed } : { degraded: false });
    } catch (error) {
      return check.up({ degraded: true, reason: (error as Error).message });
    }
  }

  /** A wall-clock jump holds the retention sweep and deadline jobs back: degraded, as the API still serves. */
  private clock(): HealthIndicatorResult {
    const check = this.indicators.check('clock');
    const status = this.clockGuard?.status ?? { ok: true };
    return check.up(status.ok ? { degraded: false } : { degraded: true, reason: status.reason });
  }

  private async redis(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('redis');
    const status = await this.jobs?.redisStatus().catch((error: Error) => ({ ok: false, reason: error.message }));
    if (!status) return check.up({ degraded: true, reason: 'jobs are not configured in this process' });
    return check.up(status.ok ? { degraded: false } : { degraded: true, reason: status.reason });
  }
}
