import type { ReadModelModule } from '../read-model-schema';
import { Incidents1764000008200 } from '../migrations/1764000008200-incidents';
import { IncidentCountMonthlyEntity, IncidentCountWeeklyEntity, IncidentPointEntity, IncidentSourceCoverageEntity } from './incidents.entities';
import { incidentsProjection } from './incidents.projection';

export const incidentsReadModel: ReadModelModule = {
  name: 'incidents',
  entities: [IncidentPointEntity, IncidentCountWeeklyEntity, IncidentCountMonthlyEntity, IncidentSourceCoverageEntity],
  migrations: [Incidents1764000008200],
  projections: [incidentsProjection],
};

export { IncidentCountMonthlyEntity, IncidentCountWeeklyEntity, IncidentPointEntity, IncidentSourceCoverageEntity, incidentsProjection };
export { COUNTS_TIME_ZONE, INCIDENT_STATUSES } from './incidents.fold';
export type { IncidentStatus } from './incidents.fold';
export { GRANULARITIES, emergingWindows, isoWeekKey } from './periods';
export type { EmergingWindows, Granularity } from './periods';
