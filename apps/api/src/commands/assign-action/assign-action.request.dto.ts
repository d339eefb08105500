import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { TacticRequest } from '../common.request.dto';
import { IsAgencyCode, IsIsoTime, IsUuidString, LIMITS, Optional } from '../request-validation';

/** `POST /v1/problems/:id/actions` */
export class AssignActionRequest {
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

  @IsIsoTime()
  dueBy!: string;

  @Optional()
  @IsUuidString()
  meetingId?: string;
}
