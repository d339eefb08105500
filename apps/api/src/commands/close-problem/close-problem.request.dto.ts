import { IsBoolean, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { DISPLACEMENTS, OUTCOMES, type Displacement, type Outcome, type CloseProblem } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsIsoTime, LIMITS, Optional } from '../request-validation';

/** `POST /v1/problems/:id/close` */
export class CloseProblemRequest implements CommandBody<CloseProblem> {
  @IsIn(OUTCOMES)
  outcome!: Outcome;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  assessment!: string;

  @Optional()
  @IsIn(DISPLACEMENTS)
  displacement?: Displacement;

  @Optional()
  @IsBoolean()
  diffusionOfBenefits?: boolean;

  @Optional()
  @IsBoolean()
  override?: boolean;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  overrideReason?: string;

  @Optional()
  @IsIsoTime()
  closedAt?: string;
}
