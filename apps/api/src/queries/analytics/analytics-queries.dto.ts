import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PROBLEM_CATEGORIES } from '@tasking/domain';
import { IsAgencyCode, IsIsoTime, IsPartnershipCode, IsPlaceCode, IsUuidString, Optional } from '../../commands/request-validation';
import { MAX_LIMIT, PageQuery } from '../query-support';

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

  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @Optional()
  @IsString()
  @MaxLength(500)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;
}

export class HotspotsGeoJsonQuery extends WindowQuery {
  @Optional()
  @IsIn(PROBLEM_CATEGORIES)
  category?: string;

  /** The highest-scoring areas only (default: every area). */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;
}

export class DischargedActionsQuery extends WindowQuery {
  @Optional()
  @IsAgencyCode()
  agency?: string;
}

export class DischargedItemsQuery extends DischargedActionsQuery {
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @Optional()
  @IsString()
  @MaxLength(500)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor from a previous page' })
  cursor?: string;

  /** `csv`: every matching row as text/csv, unpaginated (limit and cursor are then ignored). */
  @Optional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
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
}
