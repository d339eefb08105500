import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { AnalyseProblem } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS, Optional } from '../request-validation';

/** `POST /v1/problems/:id/analysis` */
export class AnalyseProblemRequest implements CommandBody<AnalyseProblem> {
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  victim?: string;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  offender?: string;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  location?: string;

  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(LIMITS.reason, { each: true })
  hypotheses?: string[];
}
