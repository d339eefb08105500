import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { LIMITS } from '../request-validation';

/** `POST /v1/agencies/:code/deactivate` */
export class DeactivateAgencyRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
