import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsAgencyCode, LIMITS } from '../request-validation';

/** `POST /v1/actions/:id/reassign` */
export class ReassignActionRequest {
  @IsAgencyCode()
  agency!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
