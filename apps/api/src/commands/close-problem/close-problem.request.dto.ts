import { IsBoolean, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { DISPLACEMENTS, OUTCOMES, type Displacement, type Outcome } from '@tasking/domain';
import { IsIsoTime, LIMITS, Optional } from '../request-validation';

/** `POST /v1/problems/:id/close` */
export class CloseProblemRequest {
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
