// The analytic read models: hotspot caseloads, discharged actions, tactical options, outcomes.
import type { ReadModelModule } from '../read-model-schema';
import { analyticsProjection } from './analytics.projection';
import { Analytics1764000001000 } from '../migrations/1764000001000-analytics';

export { analyticsProjection, applyAnalytics, ANALYTICS_TABLES } from './analytics.projection';
export { Analytics1764000001000 } from '../migrations/1764000001000-analytics';
export {
  ANALYTICS_QUERY_HANDLERS,
  AgencyNamesQuery,
  AreaPositionsQuery,
  ExportNamesQuery,
  InProcessItemsQuery,
  DischargeItemsQuery,
  DischargeSummaryQuery,
  HotspotCaseloadsQuery,
  OutcomeSummaryQuery,
  TacticSuggestionsQuery,
  TacticalOptionsLibraryQuery,
} from './analytics.queries';
export type { HotspotItem, HotspotsRequest, AreaPosition } from './queries/hotspots.query';
export type { DischargedItem, DischargedItemsRequest, DischargedRequest, DischargedSummary } from './queries/discharged.query';
export type { Suggestion, SuggestionsResult, TacticalOption, TacticalOptionsRequest } from './queries/tactics.query';
export type { InProcessItem, InProcessRequest } from './queries/in-process.query';
export { NAME_COLUMNS } from './queries/export-names.query';
export type { NamedRow } from './queries/export-names.query';
export type { OutcomesRequest, OutcomesSummary } from './queries/outcomes.query';
export type { Sql as AnalyticsSql } from './queries/plan';
export { localMidnight, parseQueryInstant as parseAnalyticsInstant } from './time';

/** The projection's name: what analytics routes wait for (read-your-writes) and report (X-Projection-Position). */
export const ANALYTICS_PROJECTION = 'analytics';

/** Plain SQL over its own tables: no TypeORM entities. */
export const analyticsReadModel: ReadModelModule = {
  name: 'analytics',
  entities: [],
  migrations: [Analytics1764000001000],
  projections: [analyticsProjection],
};
