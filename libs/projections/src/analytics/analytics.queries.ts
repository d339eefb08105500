import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ReadModels } from '../read-models';
import { READ_MODELS } from '../query-sources';
import { queryDischarged, queryDischargedItems, type DischargedItem, type DischargedItemsRequest, type DischargedRequest, type DischargedSummary } from './queries/discharged.query';
import { queryAreaPositions, queryHotspots, type AreaPosition, type HotspotItem, type HotspotsRequest } from './queries/hotspots.query';
import { agencyNamesOf, nameCells, type NamedRow } from './queries/export-names.query';
import { queryInProcessItems, type InProcessItem, type InProcessRequest } from './queries/in-process.query';
import { queryOutcomes, type OutcomesRequest, type OutcomesSummary } from './queries/outcomes.query';
import { querySuggestions, queryTacticalOptions, type SuggestionsResult, type TacticalOption, type TacticalOptionsRequest } from './queries/tactics.query';

// The analytics queries: one query object each, answered over the analytics tables (queries/*.query.ts).

/** Hotspot caseloads per area, highest score first (every area: the caller pages). */
export class HotspotCaseloadsQuery extends Query<HotspotItem[]> {
  constructor(readonly request: HotspotsRequest) {
    super();
  }
}

/** Each area's position: its registered centroid, else the mean of its problems' coordinates. */
export class AreaPositionsQuery extends Query<Map<string, AreaPosition>> {
  constructor(readonly partnerships: readonly string[]) {
    super();
  }
}

/** Discharged actions per agency over a window. */
export class DischargeSummaryQuery extends Query<DischargedSummary> {
  constructor(readonly request: DischargedRequest) {
    super();
  }
}

/** The discharges behind the summary, latest first, one page. */
export class DischargeItemsQuery extends Query<{ items: DischargedItem[]; next?: DischargedItemsRequest['after'] }> {
  constructor(readonly request: DischargedItemsRequest) {
    super();
  }
}

/** The actions in process as at the window's end, oldest assignment first, one page. */
export class InProcessItemsQuery extends Query<{ items: InProcessItem[]; next?: { assignedAt: string; actionId: string } }> {
  constructor(readonly request: InProcessRequest) {
    super();
  }
}

/** Agency names by code (reference data every reader sees). */
export class AgencyNamesQuery extends Query<Map<string, string>> {
  constructor(readonly codes: readonly string[]) {
    super();
  }
}

/** The name cells of one page of export rows: agency and area names, problem titles, as the console shows them. */
export class ExportNamesQuery extends Query<(row: NamedRow) => (string | null)[]> {
  constructor(readonly rows: readonly NamedRow[]) {
    super();
  }
}

/** Closures per area, category and month. */
export class OutcomeSummaryQuery extends Query<OutcomesSummary> {
  constructor(readonly request: OutcomesRequest) {
    super();
  }
}

/** The tactical-options library, best lower bound first, one page. */
export class TacticalOptionsLibraryQuery extends Query<{ items: TacticalOption[]; nextOffset?: number }> {
  constructor(readonly request: TacticalOptionsRequest) {
    super();
  }
}

/** The tactics to suggest for a problem of `partnerships`, ranked; undefined when the problem is not theirs. */
export class TacticSuggestionsQuery extends Query<SuggestionsResult | undefined> {
  constructor(
    readonly partnerships: readonly string[],
    readonly problemId: string,
  ) {
    super();
  }
}

@QueryHandler(HotspotCaseloadsQuery)
export class HotspotCaseloadsHandler implements IQueryHandler<HotspotCaseloadsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ request }: HotspotCaseloadsQuery) {
    return queryHotspots(this.readModels.dataSource, request);
  }
}

@QueryHandler(AreaPositionsQuery)
export class AreaPositionsHandler implements IQueryHandler<AreaPositionsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ partnerships }: AreaPositionsQuery) {
    return queryAreaPositions(this.readModels.dataSource, partnerships);
  }
}

@QueryHandler(DischargeSummaryQuery)
export class DischargeSummaryHandler implements IQueryHandler<DischargeSummaryQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ request }: DischargeSummaryQuery) {
    return queryDischarged(this.readModels.dataSource, request);
  }
}

@QueryHandler(DischargeItemsQuery)
export class DischargeItemsHandler implements IQueryHandler<DischargeItemsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ request }: DischargeItemsQuery) {
    return queryDischargedItems(this.readModels.dataSource, request);
  }
}

@QueryHandler(OutcomeSummaryQuery)
export class OutcomeSummaryHandler implements IQueryHandler<OutcomeSummaryQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ request }: OutcomeSummaryQuery) {
    return queryOutcomes(this.readModels.dataSource, request);
  }
}

@QueryHandler(TacticalOptionsLibraryQuery)
export class TacticalOptionsLibraryHandler implements IQueryHandler<TacticalOptionsLibraryQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ request }: TacticalOptionsLibraryQuery) {
    return queryTacticalOptions(this.readModels.dataSource, request);
  }
}

@QueryHandler(TacticSuggestionsQuery)
export class TacticSuggestionsHandler implements IQueryHandler<TacticSuggestionsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ partnerships, problemId }: TacticSuggestionsQuery) {
    return querySuggestions(this.readModels.dataSource, partnerships, problemId);
  }
}

@QueryHandler(InProcessItemsQuery)
export class InProcessItemsHandler implements IQueryHandler<InProcessItemsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ request }: InProcessItemsQuery) {
    return queryInProcessItems(this.readModels.dataSource, request);
  }
}

@QueryHandler(AgencyNamesQuery)
export class AgencyNamesHandler implements IQueryHandler<AgencyNamesQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ codes }: AgencyNamesQuery) {
    return agencyNamesOf(this.readModels.dataSource, codes);
  }
}

@QueryHandler(ExportNamesQuery)
export class ExportNamesHandler implements IQueryHandler<ExportNamesQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}
  execute({ rows }: ExportNamesQuery) {
    return nameCells(this.readModels.dataSource, rows);
  }
}

export const ANALYTICS_QUERY_HANDLERS = [
  InProcessItemsHandler,
  AgencyNamesHandler,
  ExportNamesHandler,
  HotspotCaseloadsHandler,
  AreaPositionsHandler,
  DischargeSummaryHandler,
  DischargeItemsHandler,
  OutcomeSummaryHandler,
  TacticalOptionsLibraryHandler,
  TacticSuggestionsHandler,
];
