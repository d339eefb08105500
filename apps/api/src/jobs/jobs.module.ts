import { Module } from '@nestjs/common';
import { JobsAdminController } from './jobs-admin.controller';
import { MeetingPackController } from './meeting-pack.controller';
import { DashboardAccess } from './queue-dashboard';

/** Routes over the background jobs: queue state, dead letters, the dashboard and meeting packs. */
@Module({
  controllers: [JobsAdminController, MeetingPackController],
  providers: [DashboardAccess],
})
export class JobsModule {}
