import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { DeactivateAgency } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LIMITS } from '../request-validation';

/** `POST /v1/agencies/:code/deactivate` */
export class DeactivateAgencyRequest implements CommandBody<DeactivateAgency, 'servedPartnerships'> {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  reason!: string;
}
