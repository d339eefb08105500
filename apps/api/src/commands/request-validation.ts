import { applyDecorators, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { isISO8601, Matches, registerDecorator, ValidateIf, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { PROBLEM_CATEGORIES, isAcceptableWebhookUrl, isAreaBoundary, isIsoDateTime, type AreaBoundary, type ProblemCategory } from '@tasking/domain';
import { ApiError, isUuid } from '@tasking/shared';

/**
 * Text limits of every body: titles and names 200, reasons 1000, descriptions and notes 5000,
 * codes 64 (api.md asks for every string to be capped).
 */
export const LIMITS = { title: 200, name: 200, reason: 1000, text: 5000, code: 64, address: 500, url: 2000, tactic: 100 } as const;

/** Agency codes are upper case (tokens carry them upper-cased): `POLICE`, `COUNCIL-ASB`. */
export const AGENCY_CODE = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;
/** Area and tasking-group codes are lower case: `enfield-town`, `enfield-safe`. */
export const PLACE_CODE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Partnership codes as the configuration spells them. */
export const PARTNERSHIP_CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;

const upper = (value: unknown): unknown => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const lower = (value: unknown): unknown => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/**
 * Optional, but when present it is validated: unlike @IsOptional, `null` is not taken for
 * "absent" (the domain has no nulls).
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

/** An agency code, upper-cased before it is checked (codes compare case-insensitively, as tokens do). */
export const IsAgencyCode = (options: ValidationOptions = {}): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }) => (options.each && Array.isArray(value) ? value.map(upper) : upper(value))),
    Matches(AGENCY_CODE, { ...options, message: ({ property }) => `${property} must be an agency code: 1 to 64 letters, digits, "-" or "_"` }),
  );

/** An area or tasking-group code, lower-cased before it is checked. */
export const IsPlaceCode = (options: ValidationOptions = {}): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }) => (Array.isArray(value) ? value.map(lower) : lower(value))),
    Matches(PLACE_CODE, { ...options, message: ({ property }) => `${property} must be a code: 1 to 64 letters, digits, "-" or "_"` }),
  );

export const IsPartnershipCode = (): PropertyDecorator =>
  Matches(PARTNERSHIP_CODE, { message: ({ property }) => `${property} must be a partnership code: lower-case letters, digits and "-"` });

function custom(name: string, test: (value: unknown) => boolean, message: (args: ValidationArguments) => string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message, ...options },
      validator: { validate: (value: unknown) => test(value) },
    });
}

/** ISO 8601 (strict) date or date-time; a date-time needs an offset, or its meaning would depend on the server's zone. */
export const IsIsoTime = (): PropertyDecorator =>
  custom(
    'isIsoTime',
    (value) => typeof value === 'string' && value.length <= 40 && isISO8601(value, { strict: true, strictSeparator: true }) && isIsoDateTime(value),
    ({ property }) => `${property} must be an ISO 8601 date, or date-time with offset (e.g. 2025-03-01T09:00:00Z)`,
  );

const lowerUuid = (value: unknown): unknown => (typeof value === 'string' ? value.toLowerCase() : value);

/** A UUID (or with `each`, a list of them), lower-cased as stream names hold it. */
export const IsUuidString = (options: ValidationOptions = {}): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }) => (options.each && Array.isArray(value) ? value.map(lowerUuid) : lowerUuid(value))),
    custom('isUuidString', (value) => typeof value === 'string' && isUuid(value), ({ property }) => `${property} must be a UUID`, options),
  );

export const IsWebhookUrl = (): PropertyDecorator =>
  custom(
    'isWebhookUrl',
    (value) => isAcceptableWebhookUrl(value),
    ({ property }) => `${property} must be an http or https URL without credentials, at most ${LIMITS.url} characters`,
  );

const MAX_BOUNDARY_POSITIONS = 10_000;
const ringPositions = (rings: number[][][]): number => rings.reduce((n, ring) => n + ring.length, 0);
const positionCount = (value: AreaBoundary): number =>
  value.type === 'Polygon' ? ringPositions(value.coordinates) : value.coordinates.reduce((n, polygon) => n + ringPositions(polygon), 0);

export const IsAreaBoundary = (): PropertyDecorator =>
  custom(
    'isAreaBoundary',
    (value) => isAreaBoundary(value) && positionCount(value) <= MAX_BOUNDARY_POSITIONS,
    ({ property }) => `${property} must be a GeoJSON Polygon or MultiPolygon of closed rings of [lng, lat] positions (at most ${MAX_BOUNDARY_POSITIONS} positions)`,
  );

const invalidParam = (field: string, message: string): ApiError =>
  new ApiError('VALIDATION_FAILED', `${field} ${message}`, [{ field, message: `${field} ${message}` }]);

/** A UUID path parameter (lower-cased, as stream names hold them); anything else is 400 VALIDATION_FAILED. */
@Injectable()
export class UuidParam implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && isUuid(value)) return value.toLowerCase();
    throw invalidParam(metadata.data ?? 'id', 'must be a UUID');
  }
}

@Injectable()
export class AgencyCodeParam implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const code = upper(value);
    if (typeof code === 'string' && AGENCY_CODE.test(code)) return code;
    throw invalidParam(metadata.data ?? 'code', 'must be an agency code: 1 to 64 letters, digits, "-" or "_"');
  }
}

@Injectable()
export class PlaceCodeParam implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const code = lower(value);
    if (typeof code === 'string' && PLACE_CODE.test(code)) return code;
    throw invalidParam(metadata.data ?? 'code', 'must be a code: 1 to 64 letters, digits, "-" or "_"');
  }
}

/** For commands without a body: none, or an empty object; any field is unknown. */
@Injectable()
export class NoBody implements PipeTransform<unknown, undefined> {
  transform(value: unknown): undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw new ApiError('VALIDATION_FAILED', 'this command takes no body');
    const fields = Object.keys(value);
    if (fields.length === 0) return undefined;
    throw new ApiError(
      'VALIDATION_FAILED',
      'this command takes no body',
      fields.map((field) => ({ field, message: `unknown field ${field}` })),
    );
  }
}

// Open311 clients and partnership settings.

@Injectable()
export class PartnershipCodeParam implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && PARTNERSHIP_CODE.test(value)) return value;
    throw invalidParam(metadata.data ?? 'code', 'must be a partnership code: lower-case letters, digits and "-"');
  }
}

/** A problem category in the path (`PROBLEM_CATEGORIES`). */
@Injectable()
export class CategoryParam implements PipeTransform<unknown, ProblemCategory> {
  transform(value: unknown, metadata: ArgumentMetadata): ProblemCategory {
    if (typeof value === 'string' && (PROBLEM_CATEGORIES as readonly string[]).includes(value)) return value as ProblemCategory;
    throw invalidParam(metadata.data ?? 'category', 'must be a problem category');
  }
}
