import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { LIMITS } from '../request-validation';

/** `POST /v1/actions/:id/release` */
export class ReleaseActionRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
