import { IsBoolean, IsIn, IsNotEmpty, IsObject, IsString, MaxLength } from 'class-validator';
import { SOURCE_KINDS, type CategoryMap, type PutSource, type SourceKind } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { IsPartnershipCode, LIMITS, Optional } from '../request-validation';

/** `PUT /v1/sources/:code`: the category map's values are checked by the decider, field by field. */
export class PutSourceRequest implements CommandBody<PutSource, 'code', 'partnership'> {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name!: string;

  @IsIn(SOURCE_KINDS)
  kind!: SourceKind;

  @Optional()
  @IsBoolean()
  triage?: boolean;

  @Optional()
  @IsObject()
  categoryMap?: CategoryMap;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}
