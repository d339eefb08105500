import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { ReassignAction } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsAgencyCode, IsIsoTime, LIMITS, Optional } from '../request-validation';

/** `POST /v1/actions/:id/reassign` */
export class ReassignActionRequest implements CommandBody<ReassignAction, 'newAgency'> {
  @IsAgencyCode()
  agency!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;

  /** A new due date for the new agency (not in the past); required when the current one has passed. */
  @Optional()
  @IsIsoTime()
  dueBy?: string;
}
