import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PROBLEM_CATEGORIES, type ProblemCategory, type AmendProblem } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LocationRequest } from '../common.request.dto';
import { LIMITS, Optional } from '../request-validation';

/** `POST /v1/problems/:id/amend`: only the fields given change. */
export class AmendProblemRequest implements CommandBody<AmendProblem, 'area'> {
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.title)
  title?: string;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  description?: string;

  @Optional()
  @IsIn(PROBLEM_CATEGORIES)
  category?: ProblemCategory;

  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocationRequest)
  location?: LocationRequest;
}
