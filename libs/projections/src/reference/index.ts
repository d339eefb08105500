import type { ReadModelModule } from '../read-model-schema';
import { ReferenceData1764000000100 } from '../migrations/1764000000100-reference-data';
import { AgencyWebhooksPerPartnership1764000005000 } from '../migrations/1764000005000-agency-webhooks-per-partnership';
import { TaskingGroupCodesPerPartnership1764000005100 } from '../migrations/1764000005100-tasking-group-codes-per-partnership';
import { GroupSchedules1764000007000 } from '../migrations/1764000007000-group-schedules';
import { SourcesAndAreaLsoas1764000008100 } from '../migrations/1764000008100-sources-and-area-lsoas';
import { AgencyEntity, AreaEntity, SourceEntity, TaskingGroupEntity, TaskingGroupScheduleEntity } from './reference.entities';
import { referenceDataProjection } from './reference.projection';

export const referenceReadModel: ReadModelModule = {
  name: 'reference-data',
  entities: [AgencyEntity, TaskingGroupEntity, TaskingGroupScheduleEntity, AreaEntity, SourceEntity],
  migrations: [ReferenceData1764000000100, AgencyWebhooksPerPartnership1764000005000, TaskingGroupCodesPerPartnership1764000005100, GroupSchedules1764000007000, SourcesAndAreaLsoas1764000008100],
  projections: [referenceDataProjection],
};

export { AgencyEntity, AreaEntity, SourceEntity, TaskingGroupEntity, TaskingGroupScheduleEntity, referenceDataProjection };
export { FindAgenciesHandler, FindAgenciesQuery, FindAreasHandler, FindAreasQuery, FindGroupsHandler, FindGroupsQuery, GroupSchedulesHandler, GroupSchedulesQuery } from './reference.queries';
export { FindSourcesHandler, FindSourcesQuery, PartnershipAreasHandler, PartnershipAreasQuery } from './reference.queries';
export type { AreaToResolve, CodeKey } from './reference.queries';
