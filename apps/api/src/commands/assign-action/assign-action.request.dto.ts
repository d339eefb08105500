import { Type } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { AssignAction } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { TacticRequest } from '../common.request.dto';
import { IsAgencyCode, IsIsoTime, IsUuidString, LIMITS, Optional } from '../request-validation';

/** `POST /v1/problems/:id/actions` */
export class AssignActionRequest implements CommandBody<AssignAction, 'actionId' | 'assignedAt'> {
  @IsAgencyCode()
  agency!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  description!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => TacticRequest)
  tactic!: TacticRequest;

  /** Not in the past (DUE_DATE_IN_PAST) unless `agreedEarlier`. */
  @IsIsoTime()
  dueBy!: string;

  /** The chair records an action agreed earlier, whose due date may already have passed. */
  @Optional()
  @IsBoolean()
  agreedEarlier?: boolean;

  @Optional()
  @IsUuidString()
  meetingId?: string;
}
