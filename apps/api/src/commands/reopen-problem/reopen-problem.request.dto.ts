import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { ReopenProblem } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS } from '../request-validation';

/** `POST /v1/problems/:id/reopen` */
export class ReopenProblemRequest implements CommandBody<ReopenProblem> {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
