import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AuthGuard, TOKEN_VERIFIER } from '@tasking/auth';
import { CLOCK } from '@tasking/shared';
import { COMMAND_RUNNER_OPTIONS, EVENT_STORE, type CommandRunnerOptions } from '@tasking/application';
import { SqlReferenceNumbers } from '@tasking/projections';
import { CLOCK_GUARD, CONFIG, DATABASE, EVENT_LOG, JOBS, PERSONAL_DATA, PROJECTIONS, READ_MODELS, type Runtime } from '@tasking/runtime';
import { CommandsModule } from './commands/commands.module';
import { HealthController } from './health/health.controller';
import { READINESS, Readiness } from './health/readiness';
import { Metrics, MetricsController, meteredStore } from './ops/metrics';
import { DEV_TOKEN_SOURCE, DevTokensController, type DevTokenSource } from './seed/dev-tokens';
import { ConsoleConfigController } from './ops/console-config.controller';
import { loggingParams } from './ops/logging';
import { IP_THROTTLER, IpRateLimitGuard, USER_THROTTLER, UserRateLimitGuard } from './ops/rate-limit';
import { JobsModule } from './jobs/jobs.module';
import { AnalyticsModule } from './queries/analytics.module';
import { QueriesModule } from './queries/queries.module';
import { Open311Module } from './open311/open311.module';

/**
 * The runtime's parts, each under its own token (libs/runtime/src/tokens.ts), are global so
 * feature modules inject what they use without re-importing.
 */
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
        Open311Module,
      ],
      controllers: [HealthController, MetricsController, DevTokensController, ConsoleConfigController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: DATABASE, useValue: runtime.db },
        { provide: READ_MODELS, useValue: runtime.readModels },
        { provide: PROJECTIONS, useValue: runtime.projections },
        { provide: PERSONAL_DATA, useValue: runtime.personalData },
        // What query handlers and metrics read: the store as opened (decrypting), not metered as commands' appends are.
        { provide: EVENT_LOG, useValue: runtime.store },
        // Factories: these may be undefined (a value provider must hold a value).
        { provide: JOBS, useFactory: () => runtime.jobs },
        { provide: CLOCK_GUARD, useFactory: () => runtime.clockGuard },
        { provide: DEV_TOKEN_SOURCE, useValue: runtime satisfies DevTokenSource },
        {
          provide: COMMAND_RUNNER_OPTIONS,
          useValue: {
            bodyHashKey: runtime.personalData.bodyHashKey,
            timeZone: config.timeZone,
            referenceNumbers: new SqlReferenceNumbers(runtime.db),
            referencePrefixes: config.referencePrefixes,
          } satisfies CommandRunnerOptions,
        },
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
      exports: [
        CONFIG,
        DATABASE,
        READ_MODELS,
        PROJECTIONS,
        PERSONAL_DATA,
        EVENT_LOG,
        JOBS,
        CLOCK_GUARD,
        COMMAND_RUNNER_OPTIONS,
        EVENT_STORE,
        CLOCK,
        TOKEN_VERIFIER,
        Metrics,
        READINESS,
      ],
    };
  }
}
