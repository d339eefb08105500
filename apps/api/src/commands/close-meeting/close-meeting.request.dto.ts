import { IsString, MaxLength } from 'class-validator';
import type { CloseMeeting } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS } from '../request-validation';

/** `POST /v1/meetings/:id/close` */
export class CloseMeetingRequest implements CommandBody<CloseMeeting> {
  /** May be empty. */
  @IsString()
  @MaxLength(LIMITS.text)
  minutesNote!: string;
}
