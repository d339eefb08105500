import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PROBLEM_CATEGORIES, type ProblemCategory, type RecordIncident } from '@tasking/domain';
import type { CommandBody } from '../command-body';
import { PointRequest } from '../common.request.dto';
import { IsIsoTime, IsPartnershipCode, IsPlaceCode, LIMITS, Optional } from '../request-validation';

/** Where it happened: an area code, a point, an address, or several of them. */
export class IncidentLocationRequest extends PointRequest {
  @Optional()
  @IsPlaceCode()
  areaCode?: string;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.address)
  address?: string;
}

/** Who reported it (personal: never shown to officers, erased with the incident's key). */
export class ReporterRequest {
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  name?: string;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.name)
  email?: string;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.code)
  phone?: string;
}

/** What the server supplies: ids, the hash, the source's triage flag and what only imports and Open311 carry. */
type ServerSupplied =
  | 'incidentId'
  | 'externalId'
  | 'sourceCategory'
  | 'occurredPrecision'
  | 'reportedAt'
  | 'unmapped'
  | 'outcome'
  | 'context'
  | 'attributes'
  | 'channel'
  | 'importId'
  | 'triage'
  | 'contentHash'
  | 'sourceKnown'
  | 'area';

/**
 * `POST /v1/incidents`: a report taken by phone or at a counter (channel `console`). The server
 * gives it its external id, id and content hash, and takes the triage flag from its source.
 */
export class RecordIncidentRequest implements CommandBody<RecordIncident, ServerSupplied, 'partnership'> {
  /** `console`, `open311`, or a source registered for the partnership. */
  @IsPlaceCode()
  source!: string;

  @IsIn(PROBLEM_CATEGORIES)
  category!: ProblemCategory;

  /** A date (precision `day`) or a date-time with offset (`exact`). */
  @IsIsoTime()
  occurredAt!: string;

  @IsObject()
  @ValidateNested()
  @Type(() => IncidentLocationRequest)
  location!: IncidentLocationRequest;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.text)
  description?: string;

  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReporterRequest)
  reporter?: ReporterRequest;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}
