import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { GeoJsonPolygon, PutArea } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { LatLngRequest } from '../common.request.dto';
import { IsPartnershipCode, IsPolygon, LIMITS, Optional } from '../request-validation';

/** `PUT /v1/areas/:code` */
export class PutAreaRequest implements CommandBody<PutArea, 'code', 'partnership'> {
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
