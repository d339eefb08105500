import { Readable } from 'node:stream';
import { Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { ANALYTICS_PROJECTION, queryDischarged, queryDischargedItems, type DischargedItem, type DischargedItemsRequest, type ReadModels } from '@tasking/projections';
import { CLOCK, type Clock, type Config } from '@tasking/shared';
import { CONFIG, READ_MODELS } from '@tasking/runtime';
import { DEFAULT_LIMIT, READER_ROLES, decodeTimeIdCursor, encodeCursor } from '../query-support';
import { ReadsProjections } from '../read-your-writes';
import { DischargedActionsQuery, DischargedItemsQuery } from './analytics-queries.dto';
import { analyticsScope, resolveWindow } from './analytics-support';
import { csvRow } from './csv';

const CSV_PAGE = 2000;
const CSV_COLUMNS = [
  'actionId',
  'problemId',
  'partnership',
  'agency',
  'areaCode',
  'problemCategory',
  'tacticCategory',
  'tacticName',
  'result',
  'assignedAt',
  'dueBy',
  'dischargedAt',
  'onTime',
  'daysToDischarge',
] as const;

const csvCells = (i: DischargedItem) => [
  i.actionId,
  i.problemId,
  i.partnership,
  i.agency,
  i.areaCode,
  i.problemCategory,
  i.tactic.category,
  i.tactic.name,
  i.result,
  i.assignedAt,
  i.dueBy,
  i.dischargedAt,
  i.onTime,
  i.daysToDischarge,
];

/**
 * Discharged actions per agency over [from, to): discharges by result, on-time rate (against the
 * dueBy in force when discharged), median days from assignment; in process and overdue as at
 * `to`; and the discharges behind the numbers, as JSON pages or one CSV.
 */
@Controller('v1/discharged-actions')
@Roles(...READER_ROLES)
@ReadsProjections(ANALYTICS_PROJECTION)
export class DischargedActionsController {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  async summary(@CurrentPrincipal() principal: Principal, @Query() query: DischargedActionsQuery) {
    const window = resolveWindow(query, this.config.timeZone, this.clock.now());
    const partnerships = analyticsScope(principal, query.partnership);
    return queryDischarged(this.readModels.dataSource, { partnerships, agency: query.agency, ...window });
  }

  /** Latest discharge first; `?format=csv` streams every matching row. */
  @Get('items')
  async items(@CurrentPrincipal() principal: Principal, @Query() query: DischargedItemsQuery) {
    const window = resolveWindow(query, this.config.timeZone, this.clock.now());
    const partnerships = analyticsScope(principal, query.partnership);
    const sql = this.readModels.dataSource;
    const request = { partnerships, agency: query.agency, ...window };
    if (query.format === 'csv') {
      // The first page is read before answering, so a failure is still a proper error response.
      const first = await queryDischargedItems(sql, { ...request, limit: CSV_PAGE });
      const rows = async function* (): AsyncGenerator<string> {
        yield csvRow(CSV_COLUMNS);
        let page: { items: DischargedItem[]; next?: DischargedItemsRequest['after'] } = first;
        for (;;) {
          if (page.items.length > 0) yield page.items.map((item) => csvRow(csvCells(item))).join('');
          if (!page.next) return;
          page = await queryDischargedItems(sql, { ...request, limit: CSV_PAGE, after: page.next });
        }
      };
      return new StreamableFile(Readable.from(rows()), {
        type: 'text/csv; charset=utf-8',
        disposition: 'attachment; filename="discharged-actions.csv"',
      });
    }
    // Strict (an ISO instant and a uuid): Date.parse takes "1", which the SQL cast refuses.
    const key = decodeTimeIdCursor(query.cursor);
    const page = await queryDischargedItems(sql, {
      ...request,
      limit: query.limit ?? DEFAULT_LIMIT,
      after: key ? { dischargedAt: key[0]!, actionId: key[1]! } : undefined,
    });
    return { items: page.items, nextCursor: page.next ? encodeCursor([page.next.dischargedAt, page.next.actionId]) : null };
  }
}
