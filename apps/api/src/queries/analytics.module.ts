import { Module } from '@nestjs/common';

/** Query routes over the analytic read models: hotspots, discharged actions, tactical options, outcomes. */
@Module({})
export class AnalyticsModule {}
