import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { CancelAction } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS } from '../request-validation';

/** `POST /v1/actions/:id/cancel` */
export class CancelActionRequest implements CommandBody<CancelAction> {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
