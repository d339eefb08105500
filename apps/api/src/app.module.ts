import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthGuard, TOKEN_VERIFIER } from '@tasking/auth';
import { CLOCK } from '@tasking/shared';
import { CommandsModule } from './commands/commands.module';
import { HealthController } from './health/health.controller';
import { AnalyticsModule } from './queries/analytics.module';
import { QueriesModule } from './queries/queries.module';
import { EVENT_STORE, RUNTIME } from './tokens';
import type { Runtime } from './runtime';

/** Runtime values are global so feature modules inject them without re-importing. */
@Global()
@Module({})
export class AppModule {
  static register(runtime: Runtime): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), CommandsModule, QueriesModule, AnalyticsModule],
      controllers: [HealthController],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: EVENT_STORE, useValue: runtime.store },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: TOKEN_VERIFIER, useValue: runtime.verifier },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [RUNTIME, EVENT_STORE, CLOCK, TOKEN_VERIFIER],
    };
  }
}
