import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { EraseSubject } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS } from '../request-validation';

/** `POST /v1/problems/:id/subjects/:subjectId/erase` */
export class EraseSubjectRequest implements CommandBody<EraseSubject, 'subjectId'> {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
