import { Module } from '@nestjs/common';
import { ActionsController } from './actions/actions.controller';
import { AdminProjectionsController } from './admin/admin.controller';
import { MeetingsController } from './meetings/meetings.controller';
import { ProblemsController } from './problems/problems.controller';
import { SubjectAccessController } from './problems/subject-access.controller';
import { ProjectionPositionInterceptor } from './read-your-writes';
import { ReferenceController } from './reference/reference.controller';

/** Query routes over the core read models: problems, actions, meetings, history, reference data, admin projections. */
@Module({
  controllers: [ReferenceController, ProblemsController, SubjectAccessController, ActionsController, MeetingsController, AdminProjectionsController],
  providers: [ProjectionPositionInterceptor],
  exports: [ProjectionPositionInterceptor],
})
export class QueriesModule {}
