import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { ChangeActionDueDate } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsIsoTime, LIMITS } from '../request-validation';

/** `POST /v1/actions/:id/due-date` */
export class ChangeActionDueDateRequest implements CommandBody<ChangeActionDueDate> {
  @IsIsoTime()
  dueBy!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
