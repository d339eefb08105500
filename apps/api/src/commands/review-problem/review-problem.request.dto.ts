import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { RAGS, type Rag, type ReviewProblem } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsUuidString, LIMITS, Optional } from '../request-validation';

/** `POST /v1/problems/:id/reviews` */
export class ReviewProblemRequest implements CommandBody<ReviewProblem> {
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
