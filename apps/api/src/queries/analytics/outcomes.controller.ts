import { Controller, Get, Inject, Query } from '@nestjs/common';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { ANALYTICS_PROJECTION, queryOutcomes, type ReadModels } from '@tasking/projections';
import { CLOCK, type Clock, type Config } from '@tasking/shared';
import { CONFIG, READ_MODELS } from '@tasking/runtime';
import { READER_ROLES } from '../query-support';
import { ReadsProjections } from '../read-your-writes';
import { OutcomesQuery } from './analytics-queries.dto';
import { analyticsScope, resolveWindow } from './analytics-support';

/** Closures per area, category and month (TIME_ZONE): by outcome, median days open, reopen rate, recurrences. */
@Controller('v1/outcomes')
@Roles(...READER_ROLES)
@ReadsProjections(ANALYTICS_PROJECTION)
export class OutcomesController {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  async outcomes(@CurrentPrincipal() principal: Principal, @Query() query: OutcomesQuery) {
    const { timeZone } = this.config;
    const window = resolveWindow(query, timeZone, this.clock.now());
    const partnerships = analyticsScope(principal, query.partnership);
    return queryOutcomes(this.readModels.dataSource, { partnerships, areaCode: query.areaCode, category: query.category, ...window, timeZone });
  }
}
