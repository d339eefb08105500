import { ArrayMaxSize, IsArray, IsBoolean, Matches } from 'class-validator';
import { JURISDICTION_ID, MAX_JURISDICTIONS, type ChangePartnershipSettings } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { Optional } from '../request-validation';

/** `PUT /v1/partnerships/:code/settings`: only the settings given change. */
export class ChangePartnershipSettingsRequest implements CommandBody<ChangePartnershipSettings, 'partnership'> {
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_JURISDICTIONS)
  @Matches(JURISDICTION_ID, { each: true, message: 'each of open311Jurisdictions must be 1 to 100 letters, digits, ".", "-" or "_"' })
  open311Jurisdictions?: string[];

  @Optional()
  @IsBoolean()
  publicDescriptions?: boolean;
}
