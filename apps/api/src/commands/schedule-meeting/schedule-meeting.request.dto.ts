import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { ScheduleMeeting } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsIsoTime, IsPartnershipCode, IsPlaceCode, LIMITS, Optional } from '../request-validation';

/** `POST /v1/meetings` */
export class ScheduleMeetingRequest implements CommandBody<ScheduleMeeting, 'meetingId' | 'group', 'partnership'> {
  @IsPlaceCode()
  groupCode!: string;

  @IsIsoTime()
  heldOn!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  chair!: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}
