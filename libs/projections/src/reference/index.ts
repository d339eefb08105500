import type { ReadModelModule } from '../read-model-schema';
import { ReferenceData1764000000100 } from '../migrations/1764000000100-reference-data';
import { AgencyWebhooksPerPartnership1764000005000 } from '../migrations/1764000005000-agency-webhooks-per-partnership';
import { TaskingGroupCodesPerPartnership1764000005100 } from '../migrations/1764000005100-tasking-group-codes-per-partnership';
import { GroupSchedules1764000007000 } from '../migrations/1764000007000-group-schedules';
import { AgencyEntity, AreaEntity, TaskingGroupEntity, TaskingGroupScheduleEntity } from './reference.entities';
import { referenceDataProjection } from './reference.projection';

export const referenceReadModel: ReadModelModule = {
  name: 'reference-data',
  entities: [AgencyEntity, TaskingGroupEntity, TaskingGroupScheduleEntity, AreaEntity],
  migrations: [ReferenceData1764000000100, AgencyWebhooksPerPartnership1764000005000, TaskingGroupCodesPerPartnership1764000005100, GroupSchedules1764000007000],
  projections: [referenceDataProjection],
};

export { AgencyEntity, AreaEntity, TaskingGroupEntity, TaskingGroupScheduleEntity, referenceDataProjection };
export { FindAgenciesHandler, FindAgenciesQuery, FindAreasHandler, FindAreasQuery, FindGroupsHandler, FindGroupsQuery, GroupSchedulesHandler, GroupSchedulesQuery } from './reference.queries';
export type { CodeKey } from './reference.queries';
