import { Readable } from 'node:stream';
import { Get, Query, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CurrentPrincipal, type Principal } from '@tasking/auth';
import { DISCHARGE_RESULTS } from '@tasking/domain';
import {
  AgencyNamesQuery,
  ANALYTICS_PROJECTION,
  DischargeItemsQuery,
  DischargeSummaryQuery,
  ExportNamesQuery,
  InProcessItemsQuery,
  NAME_COLUMNS,
  type DischargedItem,
  type DischargedItemsRequest,
  type DischargedSummary,
  type InProcessItem,
  type InProcessRequest,
  type NamedRow,
} from '@tasking/projections';
import { DEFAULT_LIMIT, decodeTimeIdCursor, encodeCursor, QueryController } from '../query-support';
import { DischargedItemsQuery, DischargedSummaryQuery } from './analytics-queries.dto';
import { AnalyticsScopes } from './analytics-support';
import { csvRow, csvText, type CsvCell } from './csv';

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

const IN_PROCESS_COLUMNS = ['actionId', 'problemId', 'partnership', 'agency', 'areaCode', 'problemCategory', 'tacticCategory', 'tacticName', 'assignedAt', 'dueBy', 'overdue'] as const;

const inProcessCells = (i: InProcessItem) => [i.actionId, i.problemId, i.partnership, i.agency, i.areaCode, i.problemCategory, i.tactic.category, i.tactic.name, i.assignedAt, i.dueBy, i.overdue];

/**
 * Discharged actions per agency over [from, to): discharges by result, on-time rate (against the
 * dueBy in force when discharged), median days from assignment; in process and overdue as at
 * `to`; and the discharges behind the numbers, as JSON pages or one CSV.
 */
@QueryController('v1/discharged-actions', ANALYTICS_PROJECTION)
export class DischargedActionsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly scopes: AnalyticsScopes,
  ) {}

  /** `?format=csv`: one row per agency with its name (in process and overdue as at `to`), then all agencies. */
  @Get()
  async summary(@CurrentPrincipal() principal: Principal, @Query() query: DischargedSummaryQuery) {
    const { window, partnerships } = this.scopes.of(principal, query);
    const summary = await this.queries.execute(new DischargeSummaryQuery({ partnerships, agency: query.agency, ...window }));
    if (query.format !== 'csv') return summary;
    const names = await this.queries.execute(new AgencyNamesQuery(summary.byAgency.map((a) => a.agency)));
    const figures = (f: Omit<DischargedSummary, 'byAgency'>) => [f.discharged, f.inProcess, f.overdue, ...DISCHARGE_RESULTS.map((r) => f.byResult[r] ?? 0), f.onTimeRate, f.medianDaysToDischarge];
    const text = csvText(
      ['agency', 'agencyName', 'discharged', 'inProcess', 'overdue', ...DISCHARGE_RESULTS, 'onTimeRate', 'medianDaysToDischarge'],
      [...summary.byAgency.map((a) => [a.agency, names.get(a.agency) ?? null, ...figures(a)]), ['*', 'All agencies', ...figures(summary)]],
    );
    return new StreamableFile(Buffer.from(text), { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="actions-per-agency.csv"' });
  }

  /** Latest discharge first; `?format=csv` streams every matching row (`&names=true`: with agency, area and problem names). */
  @Get('items')
  async items(@CurrentPrincipal() principal: Principal, @Query() query: DischargedItemsQuery) {
    const { window, partnerships } = this.scopes.of(principal, query);
    const request = { partnerships, agency: query.agency, ...window };
    if (query.format === 'csv') {
      const read = (after: DischargedItemsRequest['after']) => this.queries.execute(new DischargeItemsQuery({ ...request, limit: CSV_PAGE, after }));
      return this.csvFile(read, CSV_COLUMNS, csvCells, query.names === 'true', 'discharged-actions.csv');
    }
    // Strict (an ISO instant and a uuid): Date.parse takes "1", which the SQL cast refuses.
    const key = decodeTimeIdCursor(query.cursor);
    const page = await this.queries.execute(
      new DischargeItemsQuery({
        ...request,
        limit: query.limit ?? DEFAULT_LIMIT,
        after: key ? { dischargedAt: key[0]!, actionId: key[1]! } : undefined,
      }),
    );
    return { items: page.items, nextCursor: page.next ? encodeCursor([page.next.dischargedAt, page.next.actionId]) : null };
  }

  /**
   * The actions in process as at `to` (now when absent), oldest assignment first: the rows behind
   * `inProcess` and `overdue`; `?format=csv` streams them all (`&names=true`: with names).
   */
  @Get('in-process')
  async inProcess(@CurrentPrincipal() principal: Principal, @Query() query: DischargedItemsQuery) {
    const { window, partnerships } = this.scopes.of(principal, query);
    const request = { partnerships, agency: query.agency, toMs: window.toMs };
    if (query.format === 'csv') {
      const read = (after: InProcessRequest['after']) => this.queries.execute(new InProcessItemsQuery({ ...request, limit: CSV_PAGE, after }));
      return this.csvFile(read, IN_PROCESS_COLUMNS, inProcessCells, query.names === 'true', 'in-process-actions.csv');
    }
    const key = decodeTimeIdCursor(query.cursor);
    const page = await this.queries.execute(new InProcessItemsQuery({ ...request, limit: query.limit ?? DEFAULT_LIMIT, after: key ? { assignedAt: key[0]!, actionId: key[1]! } : undefined }));
    return { items: page.items, nextCursor: page.next ? encodeCursor([page.next.assignedAt, page.next.actionId]) : null };
  }

  /**
   * Every row, page after page, as one CSV file (`names`: with agency, area and problem names). The
   * first page is read before answering, so a failure is still a proper error response.
   */
  private async csvFile<Item extends NamedRow, Key>(
    read: (after: Key | undefined) => Promise<{ items: Item[]; next?: Key }>,
    columns: readonly string[],
    cells: (item: Item) => CsvCell[],
    names: boolean,
    filename: string,
  ): Promise<StreamableFile> {
    const first = await read(undefined);
    const queries = this.queries;
    const rows = async function* (): AsyncGenerator<string> {
      yield csvRow(names ? [...columns, ...NAME_COLUMNS] : columns);
      for (let page = first; ; page = await read(page.next)) {
        const named = names ? await queries.execute(new ExportNamesQuery(page.items)) : undefined;
        if (page.items.length > 0) yield page.items.map((item) => csvRow(named ? [...cells(item), ...named(item)] : cells(item))).join('');
        if (!page.next) return;
      }
    };
    return new StreamableFile(Readable.from(rows()), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${filename}"` });
  }
}
