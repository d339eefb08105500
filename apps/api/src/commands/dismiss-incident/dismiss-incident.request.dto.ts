import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { DISMISS_REASON_CODES, type DismissIncident, type DismissReasonCode } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS, Optional } from '../request-validation';

/** `POST /v1/incidents/:id/dismiss` */
export class DismissIncidentRequest implements CommandBody<DismissIncident> {
  @IsIn(DISMISS_REASON_CODES)
  reasonCode!: DismissReasonCode;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  note?: string;
}
