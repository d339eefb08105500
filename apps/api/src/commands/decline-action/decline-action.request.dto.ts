import { IsIn, IsString, MaxLength } from 'class-validator';
import { DECLINE_REASON_CODES, type DeclineReasonCode } from '@tasking/domain';
import { LIMITS } from '../request-validation';

/** `POST /v1/actions/:id/decline` */
export class DeclineActionRequest {
  @IsIn(DECLINE_REASON_CODES)
  reasonCode!: DeclineReasonCode;

  /** May be empty (the reason code says why). */
  @IsString()
  @MaxLength(LIMITS.text)
  note!: string;
}
