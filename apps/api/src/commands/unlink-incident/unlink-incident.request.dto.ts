import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { UnlinkIncident } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS } from '../request-validation';

/** `POST /v1/incidents/:id/unlink` */
export class UnlinkIncidentRequest implements CommandBody<UnlinkIncident> {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
