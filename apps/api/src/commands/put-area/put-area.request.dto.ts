import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { MAX_AREA_LSOAS, MAX_AREA_NEIGHBOURS, type AreaBoundary, type PutArea } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LatLngRequest } from '../common.request.dto';
import { IsAreaBoundary, IsPartnershipCode, IsPlaceCode, LIMITS, Optional } from '../request-validation';

/** `PUT /v1/areas/:code` */
export class PutAreaRequest implements CommandBody<PutArea, 'code' | 'neighbourAreas', 'partnership'> {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name!: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;

  @IsObject()
  @ValidateNested()
  @Type(() => LatLngRequest)
  centroid!: LatLngRequest;

  @Optional()
  @IsAreaBoundary()
  boundary?: AreaBoundary;

  /** ONS LSOA codes, in any case (stored upper-case). */
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_AREA_LSOAS)
  @Matches(/^[A-Za-z][0-9]{8}$/, { each: true, message: 'each of lsoaCodes must be an ONS code: a letter and eight digits (E01000001)' })
  lsoaCodes?: string[];

  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_AREA_NEIGHBOURS)
  @IsPlaceCode({ each: true })
  neighbours?: string[];

  /** Kept exactly as given (e.g. the ONS ward code `E05000201`). */
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.code)
  externalCode?: string;
}
