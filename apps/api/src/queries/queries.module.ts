import { Module } from '@nestjs/common';
import { QUERY_HANDLERS } from '@tasking/projections';
import { ActionsController } from './actions/actions.controller';
import { AdminProjectionsController } from './admin/admin.controller';
import { MeetingsController } from './meetings/meetings.controller';
import { ProblemsController } from './problems/problems.controller';
import { SubjectAccessController } from './problems/subject-access.controller';
import { ProjectionPositionInterceptor } from './read-your-writes';
import { IncidentsController } from './incidents/incidents.controller';
import { ReferenceController } from './reference/reference.controller';

/**
 * Query routes over the core read models: problems, actions, meetings, history, reference data,
 * admin projections. The read side's query handlers (libs/projections) are registered here, on the
 * QueryBus, for these routes and the analytics routes alike; what they read (READ_MODELS,
 * EVENT_LOG, PROJECTIONS) is provided once, by AppModule.
 */
@Module({
  controllers: [
    ReferenceController,
    ProblemsController,
    SubjectAccessController,
    ActionsController,
    MeetingsController,
    AdminProjectionsController,
    // Incidents
    IncidentsController,
  ],
  providers: [
    ProjectionPositionInterceptor,
    ...QUERY_HANDLERS,
  ],
  exports: [ProjectionPositionInterceptor],
})
export class QueriesModule {}
