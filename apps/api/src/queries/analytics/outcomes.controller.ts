import { Get, Query, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CurrentPrincipal, type Principal } from '@tasking/auth';
import { OUTCOMES } from '@tasking/domain';
import { ANALYTICS_PROJECTION, OutcomeSummaryQuery, type OutcomesSummary } from '@tasking/projections';
import { QueryController } from '../query-support';
import { OutcomesQuery } from './analytics-queries.dto';
import { AnalyticsScopes } from './analytics-support';
import { csvText } from './csv';

/**
 * Closures per area, category and month (TIME_ZONE): by outcome, median days open, reopen rate,
 * recurrences. `?format=csv`: one row per month, then `all` for the whole window.
 */
@QueryController('v1/outcomes', ANALYTICS_PROJECTION)
export class OutcomesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly scopes: AnalyticsScopes,
  ) {}

  @Get()
  async outcomes(@CurrentPrincipal() principal: Principal, @Query() query: OutcomesQuery) {
    const { window, partnerships, timeZone } = this.scopes.of(principal, query);
    const summary = await this.queries.execute(new OutcomeSummaryQuery({ partnerships, areaCode: query.areaCode, category: query.category, ...window, timeZone }));
    if (query.format !== 'csv') return summary;
    const figures = (f: Omit<OutcomesSummary, 'byMonth'>) => [f.closed, ...OUTCOMES.map((o) => f.byOutcome[o] ?? 0), f.medianDaysOpen, f.reopenRate, f.recurrences];
    const text = csvText(
      ['month', 'closed', ...OUTCOMES, 'medianDaysOpen', 'reopenRate', 'recurrences'],
      [...summary.byMonth.map((m) => [m.month, ...figures(m)]), ['all', ...figures(summary)]],
    );
    return new StreamableFile(Buffer.from(text), { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="outcomes.csv"' });
  }
}
