import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { RecordAttendance } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsAgencyCode, LIMITS } from '../request-validation';

export class AttendeeRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name!: string;

  @IsAgencyCode()
  agency!: string;
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
