import { IsIn, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { SUBJECT_ROLES, type SubjectRole, type AddSubject } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS, Optional } from '../request-validation';

/** `POST /v1/problems/:id/subjects`: a person named on the problem. Every field but `role` is encrypted at rest. */
export class AddSubjectRequest implements CommandBody<AddSubject, 'subjectId' | 'actionAgencies'> {
  @IsIn(SUBJECT_ROLES)
  role!: SubjectRole;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name!: string;

  @Optional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be a date, YYYY-MM-DD' })
  dateOfBirth?: string;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.address)
  address?: string;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  notes?: string;
}
