import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AuthGuard, TOKEN_VERIFIER } from '@tasking/auth';
import { CLOCK } from '@tasking/shared';
import { CommandsModule } from './commands/commands.module';
import { HealthController } from './health/health.controller';
import { READINESS, Readiness } from './health/readiness';
import { Metrics, MetricsController, meteredStore } from './ops/metrics';
import { DevTokensController } from './seed/dev-tokens';
import { ConsoleConfigController } from './ops/console-config.controller';
import { loggingParams } from './ops/logging';
import { IP_THROTTLER, IpRateLimitGuard, USER_THROTTLER, UserRateLimitGuard } from './ops/rate-limit';
import { JobsModule } from './jobs/jobs.module';
import { AnalyticsModule } from './queries/analytics.module';
import { QueriesModule } from './queries/queries.module';
import { EVENT_STORE, RUNTIME } from './tokens';
import type { Runtime } from './runtime';

/** Runtime values are global so feature modules inject them without re-importing. */
@Global()
@Module({})
export class AppModule {
  static register(runtime: Runtime, options: { logDestination?: NodeJS.WritableStream } = {}): DynamicModule {
    const { config } = runtime;
    const readiness = new Readiness(runtime);
    const perMinute = (name: string, limit: number) => ({ name, ttl: 60_000, limit: Math.max(limit, 1), skipIf: () => limit === 0 });
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(loggingParams(config, options.logDestination)),
        ThrottlerModule.forRoot({
          throttlers: [perMinute(IP_THROTTLER, config.rateLimitPerIpPerMinute), perMinute(USER_THROTTLER, config.rateLimitPerUserPerMinute)],
        }),
        TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }),
        CqrsModule.forRoot(),
        CommandsModule,
        QueriesModule,
        AnalyticsModule,
        JobsModule,
      ],
      controllers: [HealthController, MetricsController, DevTokensController, ConsoleConfigController],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        Metrics,
        { provide: EVENT_STORE, useFactory: (metrics: Metrics) => meteredStore(runtime.store, metrics, (error) => readiness.noteWrite(error)), inject: [Metrics] },
        { provide: READINESS, useValue: readiness },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: TOKEN_VERIFIER, useValue: runtime.verifier },
        // Guards run in this order: address budget, then the token, then the user's budget.
        { provide: APP_GUARD, useClass: IpRateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: UserRateLimitGuard },
      ],
      exports: [RUNTIME, EVENT_STORE, CLOCK, TOKEN_VERIFIER, Metrics, READINESS],
    };
  }
}
