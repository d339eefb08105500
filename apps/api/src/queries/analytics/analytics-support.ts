import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@tasking/auth';
import { parseAnalyticsInstant } from '@tasking/projections';
import { CONFIG } from '@tasking/runtime';
import { ApiError, CLOCK, type Clock, type Config } from '@tasking/shared';
import { decodeCursor, encodeCursor } from '../query-support';
import type { WindowQuery } from './analytics-queries.dto';

/**
 * The partnerships an analytics query covers: the caller's, or the one `?partnership=` names.
 * Naming a partnership the caller does not hold answers 404, as for ids in another partnership.
 */
export function analyticsScope(principal: Principal, partnership: string | undefined): string[] {
  if (partnership === undefined) return principal.partnerships;
  if (!principal.partnerships.includes(partnership)) throw new ApiError('NOT_FOUND', `no partnership ${partnership}`);
  return [partnership];
}

export interface Window {
  fromMs: number | null;
  toMs: number;
}

/** [from, to) in epoch ms: bare dates at midnight in `timeZone`, absent from open, absent to = now. */
function resolveWindow(query: WindowQuery, timeZone: string, now: Date): Window {
  const parse = (field: 'from' | 'to'): number | undefined => {
    const value = query[field];
    if (value === undefined) return undefined;
    const ms = parseAnalyticsInstant(value, timeZone);
    if (ms === undefined) {
      throw new ApiError('VALIDATION_FAILED', 'the request is not valid', [
        { field, message: `${field} must be an ISO 8601 date, or date-time with offset (e.g. 2025-03-01T09:00:00Z), in the years 1900 to 2999` },
      ]);
    }
    return ms;
  };
  const fromMs = parse('from') ?? null;
  const toMs = parse('to') ?? now.getTime();
  if (fromMs !== null && fromMs > toMs) {
    throw new ApiError('VALIDATION_FAILED', 'the request is not valid', [{ field: 'from', message: 'from must not be after to' }]);
  }
  return { fromMs, toMs };
}

/** What a windowed analytics request covers: its window, its partnerships, and the time zone and instant it was read in. */
export interface AnalyticsScope {
  window: Window;
  partnerships: string[];
  timeZone: string;
  now: Date;
}

/** Resolves each analytics request's window (TIME_ZONE, the clock's now) and partnerships. */
@Injectable()
export class AnalyticsScopes {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The window first (a `from` or `to` that is not valid answers 400), then the partnership (404). */
  of(principal: Principal, query: WindowQuery): AnalyticsScope {
    const { timeZone } = this.config;
    const now = this.clock.now();
    const window = resolveWindow(query, timeZone, now);
    return { window, partnerships: analyticsScope(principal, query.partnership), timeZone, now };
  }
}

/** Offset cursors, for ranked lists recomputed on each request (hotspots, tactical options). */
export function decodeOffset(cursor: string | undefined): number {
  const key = decodeCursor(cursor, 1);
  if (key === undefined) return 0;
  const offset = Number(key[0]);
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new ApiError('VALIDATION_FAILED', 'cursor is not a cursor of this list', [{ field: 'cursor', message: 'cursor must be a nextCursor from a previous page' }]);
  }
  return offset;
}

export const encodeOffset = (offset: number | undefined): string | null => (offset === undefined ? null : encodeCursor([String(offset)]));
