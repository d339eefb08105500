import type { ReadModelModule } from '../read-model-schema';
import { Problems1764000000200 } from '../migrations/1764000000200-problems';
import { ActionEntity, InterventionEntity, ProblemEntity } from './problems.entities';
import { problemsProjection } from './problems.projection';

export const problemsReadModel: ReadModelModule = {
  name: 'problems',
  entities: [ProblemEntity, ActionEntity, InterventionEntity],
  migrations: [Problems1764000000200],
  projections: [problemsProjection],
};

export { ActionEntity, InterventionEntity, ProblemEntity, problemsProjection };
export { ProblemsBatch, foldProblemsEvent } from './problems.fold';
export type { ActionRow, ActionStatus, InterventionRow, ProblemRow } from './problems.fold';
