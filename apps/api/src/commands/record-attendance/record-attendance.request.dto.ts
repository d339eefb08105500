import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';
import { ATTENDANCE_STATUSES, type AttendanceStatus, type RecordAttendance } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { StaffMemberRequest } from '../common.request.dto';
import { LIMITS, Optional } from '../request-validation';

export class AttendeeRequest extends StaffMemberRequest {
  /** Present when absent. */
  @Optional()
  @IsIn(ATTENDANCE_STATUSES)
  status?: AttendanceStatus;

  /** The member a deputy attends in place of. */
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  deputisingFor?: string;
}

/** `POST /v1/meetings/:id/attendance` */
export class RecordAttendanceRequest implements CommandBody<RecordAttendance> {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AttendeeRequest)
  attendees!: AttendeeRequest[];
}
