import { IsIn, IsString, MaxLength } from 'class-validator';
import { DISCHARGE_RESULTS, type DischargeResult, type DischargeAction } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsIsoTime, LIMITS, Optional } from '../request-validation';

/** `POST /v1/actions/:id/discharge` */
export class DischargeActionRequest implements CommandBody<DischargeAction> {
  @IsIn(DISCHARGE_RESULTS)
  result!: DischargeResult;

  /** May be empty. */
  @IsString()
  @MaxLength(LIMITS.text)
  note!: string;

  @Optional()
  @IsIsoTime()
  dischargedAt?: string;
}
