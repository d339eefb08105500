/**
 * The read side: TypeORM read models fed from the log by checkpointed projections.
 *
 * To add read models, write a `ReadModelModule` (see read-model-schema.ts for the rules) and add
 * it to `readModelSchema` below: its migrations then run at start, its entities are registered
 * and its projections run, report positions and can be rebuilt. Its queries (query objects and
 * QueryBus handlers) live beside it and are listed in `QUERY_HANDLERS` below.
 */
import { ANALYTICS_QUERY_HANDLERS, analyticsReadModel } from './analytics';
import { FindMeetingRowHandler, FindMeetingsHandler, MeetingRecordHandler, UpcomingMeetingsHandler, meetingsReadModel } from './meetings';
import {
  FindActionHandler,
  FindActionsHandler,
  FindProblemHandler,
  FindProblemRowHandler,
  FindProblemsHandler,
  ProblemAsAtHandler,
  ProblemHistoryHandler,
  problemsReadModel,
} from './problems';
import type { ReadModelModule } from './read-model-schema';
import {
  AreaIncidentCountsHandler,
  EmergingHotspotsHandler,
  FindIncidentHandler,
  FindIncidentsHandler,
  ProblemIncidentsHandler,
  incidentsReadModel,
} from './incidents';
import { FindAgenciesHandler, FindAreasHandler, FindGroupsHandler, GroupSchedulesHandler, referenceReadModel } from './reference';
// Sources of incidents, and areas for resolving incidents' places
import { FindSourcesHandler, PartnershipAreasHandler } from './reference';
import { ProjectionLagHandler } from './runner/projections.queries';
// Open311 clients, partnership settings and requests.
import {
  Open311ClientsByPrefixHandler,
  Open311RequestsHandler,
  Open311UpdatesHandler,
  PartnershipSettingsHandler,
  PartnershipsByJurisdictionHandler,
  open311ReadModel,
} from './open311';

export const readModelSchema: readonly ReadModelModule[] = [
  referenceReadModel,
  problemsReadModel,
  meetingsReadModel,
  analyticsReadModel,
  incidentsReadModel,
  // Open311 clients, partnership settings and requests.
  open311ReadModel,
];

/**
 * Every query handler of the read side, for the QueryBus: an application lists them as providers
 * and provides `READ_MODELS` and `EVENT_LOG`; its routes then `queryBus.execute(new XQuery(...))`.
 */
export const QUERY_HANDLERS = [
  ProjectionLagHandler,
  FindAgenciesHandler,
  FindGroupsHandler,
  FindAreasHandler,
  FindProblemsHandler,
  FindProblemHandler,
  FindProblemRowHandler,
  ProblemAsAtHandler,
  ProblemHistoryHandler,
  FindActionsHandler,
  FindActionHandler,
  FindMeetingsHandler,
  MeetingRecordHandler,
  FindMeetingRowHandler,
  UpcomingMeetingsHandler,
  GroupSchedulesHandler,
  ...ANALYTICS_QUERY_HANDLERS,
  // Sources of incidents, and areas for resolving incidents' places
  FindSourcesHandler,
  PartnershipAreasHandler,
  FindIncidentsHandler,
  FindIncidentHandler,
  ProblemIncidentsHandler,
  AreaIncidentCountsHandler,
  EmergingHotspotsHandler,
  // Open311 clients, partnership settings and requests.
  Open311ClientsByPrefixHandler,
  PartnershipSettingsHandler,
  PartnershipsByJurisdictionHandler,
  Open311RequestsHandler,
  Open311UpdatesHandler,
];

export { EVENT_LOG, PROJECTIONS, READ_MODELS } from './query-sources';
export { ProjectionLagQuery } from './runner/projections.queries';
export type { TimeIdKey } from './query-sources';
export type { Projection } from './projection';
export type { EntityClass, MigrationClass, ReadModelModule } from './read-model-schema';
export { openReadModels, readModelMigrationSet, ProjectionCheckpointEntity } from './read-models';
export { runMigrations, sharedPoolDriver } from './schema-migrations';
export type { MigrationSet } from './schema-migrations';
export type { ReadModels } from './read-models';
export { ProjectionRunner } from './runner/projection-runner';
export type { ProjectionCheckpoint, ProjectionLag, ProjectionRunnerOptions, RebuildProgress, RebuildResult, RunnerLogger } from './runner/projection-runner';
export { RebuildJobs } from './runner/rebuild-jobs';
export type { JobState, JobView } from './runner/rebuild-jobs';
export { RebuildAlreadyRunningError, UnknownProjectionError } from './runner/errors';
export { RowBatch, insertRowsIfAbsent, loadRows, upsertRows, utc } from './sql';
export type { Row, TableSpec } from './sql';

export * from './problems';
export * from './meetings';
export * from './reference';
export * from './analytics';
export * from './incidents';
// Open311 clients, partnership settings and requests.
export * from './open311';
