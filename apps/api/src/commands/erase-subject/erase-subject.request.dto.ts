import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { LIMITS } from '../request-validation';

/** `POST /v1/problems/:id/subjects/:subjectId/erase` */
export class EraseSubjectRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
