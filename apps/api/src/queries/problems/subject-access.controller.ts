import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { FindProblemRowQuery } from '@tasking/projections';
import { ApiError } from '@tasking/shared';
import { PERSONAL_DATA } from '@tasking/runtime';
import type { PersonalData } from '@tasking/personal-data';
import { UuidParam } from '../../commands/request-validation';
import { ReadsProjections } from '../read-your-writes';
import { DEFAULT_LIMIT, PageQuery, decodeCursor, encodeCursor, notFound } from '../query-support';

@Controller('v1/problems')
export class SubjectAccessController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalData,
  ) {}

  /**
   * Who was shown the problem's subjects, when and through which route, newest first: the access
   * audit of personal data (`{items, nextCursor}`). Managers of the problem's partnership.
   */
  @Get(':id/subject-access')
  @Roles('manager')
  @ReadsProjections('problems')
  async list(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) id: string, @Query() query: PageQuery) {
    const problem = await this.queries.execute(new FindProblemRowQuery(id));
    if (!problem || !principal.partnerships.includes(problem.partnership)) throw notFound('problem', id);
    const before = decodeCursor(query.cursor, 1)?.[0];
    if (before !== undefined && !/^\d{1,18}$/.test(before)) {
      throw new ApiError('VALIDATION_FAILED', 'cursor is not a cursor of this list', [{ field: 'cursor', message: 'cursor must be a nextCursor from a previous page' }]);
    }
    const limit = query.limit ?? DEFAULT_LIMIT;
    const { items, more } = await this.personalData.accessLog.list(id, limit, before);
    return { items, nextCursor: more ? encodeCursor([items[items.length - 1]!.id]) : null };
  }
}
