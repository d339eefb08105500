import { IsIn, IsString, MaxLength } from 'class-validator';
import { DECLINE_REASON_CODES, type DeclineReasonCode, type DeclineAction } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS } from '../request-validation';

/** `POST /v1/actions/:id/decline` */
export class DeclineActionRequest implements CommandBody<DeclineAction> {
  @IsIn(DECLINE_REASON_CODES)
  reasonCode!: DeclineReasonCode;

  /** May be empty (the reason code says why). */
  @IsString()
  @MaxLength(LIMITS.text)
  note!: string;
}
