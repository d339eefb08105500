import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsIsoTime, LIMITS } from '../request-validation';

/** `POST /v1/actions/:id/due-date` */
export class ChangeActionDueDateRequest {
  @IsIsoTime()
  dueBy!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
