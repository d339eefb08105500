import { Module } from '@nestjs/common';
import { ImportsController } from './imports.controller';
import { JobsAdminController } from './jobs-admin.controller';
import { MeetingPackController } from './meeting-pack.controller';
import { DashboardAccess } from './queue-dashboard';

/** Routes over the background jobs: queue state, dead letters, the dashboard, meeting packs and bulk imports. */
@Module({
  controllers: [JobsAdminController, MeetingPackController, ImportsController],
  providers: [DashboardAccess],
})
export class JobsModule {}
