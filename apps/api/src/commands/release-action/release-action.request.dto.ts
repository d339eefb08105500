import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { ReleaseAction } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS } from '../request-validation';

/** `POST /v1/actions/:id/release` */
export class ReleaseActionRequest implements CommandBody<ReleaseAction> {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
