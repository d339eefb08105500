import { IsString, MaxLength } from 'class-validator';
import { LIMITS } from '../request-validation';

/** `POST /v1/meetings/:id/close` */
export class CloseMeetingRequest {
  /** May be empty. */
  @IsString()
  @MaxLength(LIMITS.text)
  minutesNote!: string;
}
