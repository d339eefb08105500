import { Module } from '@nestjs/common';
import { AnalyticsScopes } from './analytics/analytics-support';
import { DischargedActionsController } from './analytics/discharged-actions.controller';
import { HotspotsController } from './analytics/hotspots.controller';
import { OutcomesController } from './analytics/outcomes.controller';
import { TacticalOptionsController } from './analytics/tactical-options.controller';
import { ProjectionPositionInterceptor } from './read-your-writes';

/** Query routes over the analytic read models: hotspots, discharged actions, tactical options, outcomes. */
@Module({
  controllers: [HotspotsController, DischargedActionsController, TacticalOptionsController, OutcomesController],
  providers: [ProjectionPositionInterceptor, AnalyticsScopes],
})
export class AnalyticsModule {}
