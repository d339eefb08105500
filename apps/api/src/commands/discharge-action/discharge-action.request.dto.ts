import { IsIn, IsString, MaxLength } from 'class-validator';
import { DISCHARGE_RESULTS, type DischargeResult } from '@tasking/domain';
import { IsIsoTime, LIMITS, Optional } from '../request-validation';

/** `POST /v1/actions/:id/discharge` */
export class DischargeActionRequest {
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
