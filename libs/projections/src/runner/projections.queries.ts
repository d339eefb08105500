import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PROJECTIONS } from '../query-sources';
import type { ProjectionLag, ProjectionRunner } from './projection-runner';

/** Each projection's checkpoint, state and lag behind the log at `now` (the runner's own table). */
export class ProjectionLagQuery extends Query<ProjectionLag[]> {
  constructor(readonly now: Date) {
    super();
  }
}

@QueryHandler(ProjectionLagQuery)
export class ProjectionLagHandler implements IQueryHandler<ProjectionLagQuery> {
  constructor(@Inject(PROJECTIONS) private readonly projections: Pick<ProjectionRunner, 'lag'>) {}

  execute({ now }: ProjectionLagQuery) {
    return this.projections.lag(now);
  }
}
