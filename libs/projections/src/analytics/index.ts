// The analytic read models: hotspot caseloads, discharged actions, tactical options, outcomes.
import type { ReadModelModule } from '../read-model-schema';
import { analyticsProjection } from './analytics.projection';
import { Analytics1764000001000 } from './migrations/1764000001000-analytics';

export { analyticsProjection, applyAnalytics, ANALYTICS_TABLES } from './analytics.projection';
export { Analytics1764000001000 } from './migrations/1764000001000-analytics';

/** Plain SQL over its own tables: no TypeORM entities. */
export const analyticsReadModel: ReadModelModule = {
  name: 'analytics',
  entities: [],
  migrations: [Analytics1764000001000],
  projections: [analyticsProjection],
};
