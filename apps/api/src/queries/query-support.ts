import { applyDecorators, Controller } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, MaxLength, Min, registerDecorator } from 'class-validator';
import { Roles, type Principal } from '@tasking/auth';
import { ApiError, isUuid } from '@tasking/shared';
import { localMidnight } from '@tasking/projections';
import { Optional } from '../commands/request-validation';
import { ReadsProjections } from './read-your-writes';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** `?limit=`: an optional page size, 1..`max`. */
export const PageLimit = (max = MAX_LIMIT): PropertyDecorator => applyDecorators(Optional(), Type(() => Number), IsInt(), Min(1), Max(max));

/** `?cursor=`: optional, opaque, from the previous page's `nextCursor`. */
export const PageCursor = (): PropertyDecorator =>
  applyDecorators(Optional(), IsString(), MaxLength(500), Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor from a previous page' }));

/** A query value of one or more of `allowed`, separated by commas (`?status=unclaimed,claimed`), each at most once. */
export const IsListOf =
  (allowed: readonly string[]): PropertyDecorator =>
  (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isListOf',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: ({ property }) => `${property} must be one or more of ${allowed.join(', ')}, separated by commas` },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const parts = value.split(',');
          return parts.every((part) => allowed.includes(part)) && new Set(parts).size === parts.length;
        },
      },
    });

/** `?limit=` (1..500, default 50) and `?cursor=` (opaque, from the previous page's `nextCursor`): extend it in list DTOs. */
export class PageQuery {
  @PageLimit()
  limit?: number;

  @PageCursor()
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A keyset cursor: the sort key of the last row of a page, as base64url JSON (opaque to clients). */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const invalidCursor = (): ApiError =>
  new ApiError('VALIDATION_FAILED', 'cursor is not a cursor of this list', [{ field: 'cursor', message: 'cursor must be a nextCursor from a previous page' }]);

/** The key of a cursor with `length` string parts (no U+0000, which SQL text cannot hold); 400 for anything else. */
export function decodeCursor(cursor: string | undefined, length: number): string[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === length && key.every((part) => typeof part === 'string' && part.length <= 200 && !part.includes('\u0000'))) {
      return key as string[];
    }
  } catch {
    // fall through
  }
  throw invalidCursor();
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/**
 * The key of a (time, id) keyset cursor, as `toPage` writes it from `toISOString()` and a uuid;
 * 400 for anything else, so the SQL casts never meet a value they refuse.
 */
export function decodeTimeIdCursor(cursor: string | undefined): [string, string] | undefined {
  const key = decodeCursor(cursor, 2);
  if (key === undefined) return undefined;
  const [at, id] = key as [string, string];
  if (!ISO_INSTANT.test(at) || Number.isNaN(Date.parse(at)) || !isUuid(id)) throw invalidCursor();
  return [at, id];
}

/**
 * Rows fetched with `LIMIT limit + 1` -> the page and the cursor of its last row when more follow.
 */
export function toPage<R, T>(rows: readonly R[], limit: number, key: (row: R) => readonly string[], view: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { items: shown.map(view), nextCursor: more ? encodeCursor(key(shown[shown.length - 1]!)) : null };
}

/**
 * The partnerships a list may show: the caller's, narrowed by `?partnership=` (a partnership the
 * caller does not hold narrows to nothing).
 */
export function visiblePartnerships(principal: Principal, narrowTo?: string): string[] {
  return narrowTo === undefined ? principal.partnerships : principal.partnerships.filter((p) => p === narrowTo);
}

/** 404 for ids in another partnership, exactly as for ids that do not exist. */
export function notFound(what: string, id: string): ApiError {
  return new ApiError('NOT_FOUND', `no ${what} ${id}`);
}

const BARE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A query time as an instant: ISO 8601 with offset as given; a bare date is midnight in
 * `timeZone` (api.md: windows and as-at times given as dates are local dates).
 */
export function queryInstant(value: string, timeZone: string): Date {
  const date = BARE_DATE.exec(value);
  if (!date) return new Date(Date.parse(value));
  return new Date(localMidnight(Number(date[1]), Number(date[2]), Number(date[3]), timeZone));
}

/** Every role may read (domain.md); a token holding none of them may not. */
export const READER_ROLES = ['inspector', 'officer', 'manager', 'admin'] as const;

/** A controller of query routes under `path`: every reader may call them, and they read `projections` (`ReadsProjections`). */
export const QueryController = (path: string, ...projections: string[]): ClassDecorator =>
  applyDecorators(Controller(path), Roles(...READER_ROLES), ReadsProjections(...projections));
