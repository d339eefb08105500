import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { LIMITS } from '../request-validation';

/** `POST /v1/actions/:id/cancel` */
export class CancelActionRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
