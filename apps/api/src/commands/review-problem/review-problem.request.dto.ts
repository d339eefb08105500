import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { RAGS, type Rag } from '@tasking/domain';
import { IsUuidString, LIMITS, Optional } from '../request-validation';

/** `POST /v1/problems/:id/reviews` */
export class ReviewProblemRequest {
  @IsIn(RAGS)
  rag!: Rag;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  note!: string;

  @Optional()
  @IsUuidString()
  meetingId?: string;
}
