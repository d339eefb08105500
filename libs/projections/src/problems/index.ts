import type { ReadModelModule } from '../read-model-schema';
import { Problems1764000000200 } from '../migrations/1764000000200-problems';
import { WorkQueueIndex1764000002000 } from '../migrations/1764000002000-work-queue-index';
import { ActionEntity, InterventionEntity, ProblemEntity } from './problems.entities';
import { problemsProjection } from './problems.projection';

export const problemsReadModel: ReadModelModule = {
  name: 'problems',
  entities: [ProblemEntity, ActionEntity, InterventionEntity],
  migrations: [Problems1764000000200, WorkQueueIndex1764000002000],
  projections: [problemsProjection],
};

export { ActionEntity, InterventionEntity, ProblemEntity, problemsProjection };
export { ProblemsBatch, foldProblemsEvent } from './problems.fold';
export type { ActionRow, ActionStatus, InterventionRow, ProblemRow } from './problems.fold';
