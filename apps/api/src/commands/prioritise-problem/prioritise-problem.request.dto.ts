import { IsIn, IsNotEmpty, IsNumber, IsString, Max, MaxLength, Min } from 'class-validator';
import { PRIORITIES, type Priority, type PrioritiseProblem } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS, Optional } from '../request-validation';

/** `POST /v1/problems/:id/prioritise` */
export class PrioritiseProblemRequest implements CommandBody<PrioritiseProblem> {
  @IsIn(PRIORITIES)
  priority!: Priority;

  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  harmScore?: number;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  rationale!: string;
}
