import { IsNotEmpty, IsNumber, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsAgencyCode, IsPlaceCode, LIMITS, Optional } from './request-validation';

const finite = { allowNaN: false, allowInfinity: false } as const;

/** An optional WGS84 point: a problem's or an incident's. */
export class PointRequest {
  @Optional()
  @IsNumber(finite)
  @Min(-90)
  @Max(90)
  lat?: number;

  @Optional()
  @IsNumber(finite)
  @Min(-180)
  @Max(180)
  lng?: number;
}

/** Where a problem is: `{areaCode, lat?, lng?, address?}`. */
export class LocationRequest extends PointRequest {
  @IsPlaceCode()
  areaCode!: string;

  @Optional()
  @IsString()
  @MaxLength(LIMITS.address)
  address?: string;
}

/** A tactic as the caller spells it; the domain matches it to the taxonomy (422 UNKNOWN_TACTIC otherwise). */
export class TacticRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.tactic)
  category!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.tactic)
  name!: string;
}

export class LatLngRequest {
  @IsNumber(finite)
  @Min(-90)
  @Max(90)
  lat!: number;

  @IsNumber(finite)
  @Min(-180)
  @Max(180)
  lng!: number;
}

/** A person at an agency, named as they work (a group's member, a meeting's attendee). */
export class StaffMemberRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name!: string;

  @IsAgencyCode()
  agency!: string;
}
