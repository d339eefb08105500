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
export {
  AreaIncidentCountsHandler,
  AreaIncidentCountsQuery,
  DUPLICATE_HOURS,
  DUPLICATE_METRES,
  FindIncidentHandler,
  FindIncidentQuery,
  FindIncidentsHandler,
  FindIncidentsQuery,
  ProblemIncidentsHandler,
  ProblemIncidentsQuery,
  SUGGESTED_PROBLEM_METRES,
} from './incidents.queries';
export type { IncidentFilters, IncidentRecord, IncidentSuggestions, ProblemIncidents } from './incidents.queries';
export { DEFAULT_BASELINE_WEEKS, DEFAULT_RECENT_WEEKS, EmergingHotspotsHandler, EmergingHotspotsQuery } from './emerging.queries';
export type { EmergingHotspots, EmergingRequest } from './emerging.queries';
export type { EmergingItem } from './statistics';
