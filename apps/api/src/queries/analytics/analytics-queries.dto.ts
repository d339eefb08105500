import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { PROBLEM_CATEGORIES } from '@tasking/domain';
import { IsAgencyCode, IsIsoTime, IsPartnershipCode, IsPlaceCode, IsUuidString, Optional } from '../../commands/request-validation';
import { PageCursor, PageLimit, PageQuery } from '../query-support';

/**
 * `?from=&to=`: a half-open window [from, to). ISO 8601 date-time with offset, or a bare date
 * meaning midnight in TIME_ZONE; absent from = the start of the log, absent to = now.
 */
export class WindowQuery {
  @Optional()
  @IsIsoTime()
  from?: string;

  @Optional()
  @IsIsoTime()
  to?: string;

  /** Narrows to one of the caller's partnerships (one the caller does not hold: 404). */
  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}

export class HotspotsQuery extends WindowQuery {
  /** Restricts every figure to problems of this category and their actions. */
  @Optional()
  @IsIn(PROBLEM_CATEGORIES)
  category?: string;

  @PageLimit()
  limit?: number;

  @PageCursor()
  cursor?: string;
}

export class HotspotsGeoJsonQuery extends WindowQuery {
  @Optional()
  @IsIn(PROBLEM_CATEGORIES)
  category?: string;

  /** The highest-scoring areas only (default: every area). */
  @PageLimit(10_000)
  limit?: number;
}

export class DischargedActionsQuery extends WindowQuery {
  @Optional()
  @IsAgencyCode()
  agency?: string;
}

export class DischargedSummaryQuery extends DischargedActionsQuery {
  /** `csv`: one row per agency (with its name), then a row for all agencies. */
  @Optional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class DischargedItemsQuery extends DischargedActionsQuery {
  @PageLimit()
  limit?: number;

  @PageCursor()
  cursor?: string;

  /** `csv`: every matching row as text/csv, unpaginated (limit and cursor are then ignored). */
  @Optional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  /** With `format=csv`: `true` adds agencyName, areaName and problemTitle after the codes. */
  @Optional()
  @IsIn(['true', 'false'])
  names?: 'true' | 'false';
}

export class TacticalOptionsQuery extends PageQuery {
  @Optional()
  @IsIn(PROBLEM_CATEGORIES)
  problemCategory?: string;

  /** Case-insensitive text in the tactic's name or category, or the problem category. */
  @Optional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[^\u0000-\u001f]*$/, { message: 'q must be plain text' })
  q?: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}

export class SuggestionsQuery extends PageQuery {
  @IsUuidString()
  problemId!: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}

export class OutcomesQuery extends WindowQuery {
  @Optional()
  @IsPlaceCode()
  areaCode?: string;

  @Optional()
  @IsIn(PROBLEM_CATEGORIES)
  category?: string;

  /** `csv`: one row per month, then a row for the whole window. */
  @Optional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
