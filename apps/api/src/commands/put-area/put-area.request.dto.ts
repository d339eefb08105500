import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { GeoJsonPolygon } from '@tasking/domain';
import { LatLngRequest } from '../common.request.dto';
import { IsPartnershipCode, IsPolygon, LIMITS, Optional } from '../request-validation';

/** `PUT /v1/areas/:code` */
export class PutAreaRequest {
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
  @IsPolygon()
  boundary?: GeoJsonPolygon;
}
