import { IsBoolean, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { ChangeOpen311Service } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsPartnershipCode, LIMITS, Optional } from '../request-validation';

/** `PUT /v1/open311/services/:category`. */
export class ChangeOpen311ServiceRequest implements CommandBody<ChangeOpen311Service, 'category', 'partnership'> {
  @IsBoolean()
  reportable!: boolean;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name?: string;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reason)
  description?: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}
