import type { ReadModelModule } from '../read-model-schema';
import { Problems1764000000200 } from '../migrations/1764000000200-problems';
import { WorkQueueIndex1764000002000 } from '../migrations/1764000002000-work-queue-index';
import { PersonalData1764000003000 } from '../migrations/1764000003000-personal-data';
import { OpenActionsDueIndex1764000004000 } from '../migrations/1764000004000-open-actions-due-index';
import { ProblemSearch1764000006100 } from '../migrations/1764000006100-problem-search';
import { CaseReferences1764000007200 } from '../migrations/1764000007200-case-references';
import { ActionEntity, InterventionEntity, ProblemEntity, ProblemSubjectEntity } from './problems.entities';
import { problemsProjection } from './problems.projection';

export const problemsReadModel: ReadModelModule = {
  name: 'problems',
  entities: [ProblemEntity, ActionEntity, InterventionEntity, ProblemSubjectEntity],
  migrations: [Problems1764000000200, WorkQueueIndex1764000002000, PersonalData1764000003000, OpenActionsDueIndex1764000004000, ProblemSearch1764000006100, CaseReferences1764000007200],
  projections: [problemsProjection],
};

export { ActionEntity, InterventionEntity, ProblemEntity, ProblemSubjectEntity, problemsProjection };
export { SqlReferenceNumbers } from './reference-numbers';
export { AREAS_NAMED, PROBLEM_SEARCH_DOCUMENT, problemSearchMatch } from './search';
export { ProblemsBatch, foldProblemsEvent } from './problems.fold';
export type { ActionRow, ActionStatus, InterventionRow, ProblemRow, SubjectRow } from './problems.fold';
export { recordedAt } from './problem-events';
export type { ProblemAsAt } from './problem-events';
export {
  FindProblemHandler,
  FindProblemQuery,
  FindProblemRowHandler,
  FindProblemRowQuery,
  FindProblemsHandler,
  FindProblemsQuery,
  ProblemAsAtHandler,
  ProblemAsAtQuery,
  ProblemHistoryHandler,
  ProblemHistoryQuery,
} from './problems.queries';
export type { ActionCounts, ProblemFilters } from './problems.queries';
export { FindActionHandler, FindActionQuery, FindActionsHandler, FindActionsQuery } from './actions.queries';
export type { ActionFilters } from './actions.queries';
