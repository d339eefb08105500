import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import {
  MAX_INCIDENTS_PER_RAISE,
  PRIORITIES,
  PROBLEM_CATEGORIES,
  PROBLEM_SOURCES,
  type Priority,
  type ProblemCategory,
  type ProblemSource,
  type RaiseProblem,
} from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LocationRequest } from '../common.request.dto';
import { IsIsoTime, IsPartnershipCode, IsPlaceCode, IsUuidString, LIMITS, Optional } from '../request-validation';

/** `POST /v1/problems`; with `incidentIds`, the incidents are linked to it in the same append. */
export class RaiseProblemRequest implements CommandBody<RaiseProblem, 'problemId' | 'reference' | 'area' | 'group', 'partnership'> {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.title)
  title!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  description!: string;

  @IsIn(PROBLEM_CATEGORIES)
  category!: ProblemCategory;

  @IsObject()
  @ValidateNested()
  @Type(() => LocationRequest)
  location!: LocationRequest;

  @Optional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @Optional()
  @IsIn(PROBLEM_SOURCES)
  source?: ProblemSource;

  @Optional()
  @IsPlaceCode()
  groupCode?: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;

  @Optional()
  @IsIsoTime()
  raisedAt?: string;

  /** Incidents of the partnership to link to the new problem (at most 100, each once). */
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_INCIDENTS_PER_RAISE)
  @ArrayUnique()
  @IsUuidString({ each: true })
  incidentIds?: string[];
}
