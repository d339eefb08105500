import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { OPEN311_ATTRIBUTE_NAME, type RegisterOpen311Client } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsPartnershipCode, LIMITS, Optional } from '../request-validation';

/** `POST /v1/open311/clients`: the id and the key are made by the server. */
export class RegisterOpen311ClientRequest implements CommandBody<RegisterOpen311Client, 'clientId' | 'keyPrefix' | 'keyHash', 'partnership'> {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name!: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;

  /** The `attribute[...]` whose value identifies a report in the client's own records. */
  @Optional()
  @IsString()
  @Matches(OPEN311_ATTRIBUTE_NAME, { message: 'externalIdAttribute must be 1 to 100 letters, digits, ".", "-" or "_"' })
  externalIdAttribute?: string;
}
