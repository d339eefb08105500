import { Module } from '@nestjs/common';
import { EVENT_LOG, PROJECTIONS, QUERY_HANDLERS, READ_MODELS } from '@tasking/projections';
import type { Runtime } from '../runtime';
import { RUNTIME } from '../tokens';
import { ActionsController } from './actions/actions.controller';
import { AdminProjectionsController } from './admin/admin.controller';
import { MeetingsController } from './meetings/meetings.controller';
import { ProblemsController } from './problems/problems.controller';
import { SubjectAccessController } from './problems/subject-access.controller';
import { ProjectionPositionInterceptor } from './read-your-writes';
import { ReferenceController } from './reference/reference.controller';

/**
 * Query routes over the core read models: problems, actions, meetings, history, reference data,
 * admin projections. The read side's query handlers (libs/projections) are registered here, on the
 * QueryBus, for these routes and the analytics routes alike.
 */
@Module({
  controllers: [ReferenceController, ProblemsController, SubjectAccessController, ActionsController, MeetingsController, AdminProjectionsController],
  providers: [
    ProjectionPositionInterceptor,
    { provide: READ_MODELS, useFactory: (runtime: Runtime) => runtime.readModels, inject: [RUNTIME] },
    { provide: EVENT_LOG, useFactory: (runtime: Runtime) => runtime.store, inject: [RUNTIME] },
    { provide: PROJECTIONS, useFactory: (runtime: Runtime) => runtime.projections, inject: [RUNTIME] },
    ...QUERY_HANDLERS,
  ],
  exports: [ProjectionPositionInterceptor],
})
export class QueriesModule {}
