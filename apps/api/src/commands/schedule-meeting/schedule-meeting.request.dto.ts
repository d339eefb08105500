import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsIsoTime, IsPartnershipCode, IsPlaceCode, LIMITS, Optional } from '../request-validation';

/** `POST /v1/meetings` */
export class ScheduleMeetingRequest {
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
