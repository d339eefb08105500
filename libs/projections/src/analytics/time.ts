/**
 * Time arithmetic for the analytic read models: calendar months in a time zone (as UTC instants),
 * bare dates at local midnight, and microsecond instants for half-open comparisons.
 *
 * Aggregates are bucketed by calendar month in BUCKET_TIME_ZONE. A bucket is only ever used when
 * it lies wholly inside a query window, and the rest of the window is read from detail rows, so
 * answers are exact in any configured TIME_ZONE; windows and months aligned to this zone (the
 * domain default) just read fewer rows.
 */

export const BUCKET_TIME_ZONE = 'Europe/London';
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, found);
  }
  return found;
}

/** Local calendar fields of an instant in a zone. */
export function localFields(ms: number, zone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const fields: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return { year: fields.year!, month: fields.month!, day: fields.day!, hour: fields.hour! % 24, minute: fields.minute!, second: fields.second! };
}

/** Local time minus UTC, in ms, at an instant. */
function offsetMs(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const f = localFields(whole, zone);
  return utcDate(f.year, f.month, f.day) + ((f.hour * 60 + f.minute) * 60 + f.second) * 1000 - whole;
}

/** The instant of local midnight starting `year-month-day` in `zone` (month 1..12; overflow rolls over). */
export function localMidnight(year: number, month: number, day: number, zone: string): number {
  const guess = utcDate(year, month, day);
  const first = guess - offsetMs(guess, zone);
  const second = offsetMs(first, zone);
  return guess - second === first ? first : guess - second;
}

/** Date.UTC without its two-digit-year quirk (years 0..99 are not 1900..1999 here). */
function utcDate(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** Month boundaries of one zone, computed once per year and searched by bisection. */
export class MonthGrid {
  private static readonly grids = new Map<string, MonthGrid>();
  /** starts[i] is the start of month `firstIndex + i` (index = year * 12 + month - 1). */
  private starts: number[] = [];
  private firstIndex = 0;

  static of(zone: string): MonthGrid {
    let grid = MonthGrid.grids.get(zone);
    if (!grid) {
      grid = new MonthGrid(zone);
      MonthGrid.grids.set(zone, grid);
    }
    return grid;
  }

  private fromYear = 1990;
  private toYear = 2060;

  private constructor(readonly zone: string) {
    this.fill();
  }

  private fill(): void {
    this.firstIndex = this.fromYear * 12;
    this.starts = [];
    for (let index = this.firstIndex; index <= this.toYear * 12 + 12; index += 1) {
      this.starts.push(localMidnight(Math.floor(index / 12), (index % 12) + 1, 1, this.zone));
    }
  }

  /** Widens the precomputed range to hold the instant (and the months either side of it). */
  private ensure(ms: number): void {
    if (ms >= this.starts[1]! && ms < this.starts[this.starts.length - 2]!) return;
    const year = new Date(ms).getUTCFullYear();
    this.fromYear = Math.min(this.fromYear, year - 1);
    this.toYear = Math.max(this.toYear, year + 1);
    this.fill();
  }

  /** The month index (year * 12 + month - 1) holding the instant. */
  indexOf(ms: number): number {
    this.ensure(ms);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= ms) lo = mid;
      else hi = mid;
    }
    return this.firstIndex + lo;
  }

  startOfIndex(index: number): number {
    const at = index - this.firstIndex;
    if (at >= 0 && at < this.starts.length) return this.starts[at]!;
    return localMidnight(Math.floor(index / 12), (index % 12) + 1, 1, this.zone);
  }

  /** Start of the month holding the instant. */
  floor(ms: number): number {
    return this.startOfIndex(this.indexOf(ms));
  }

  /** The first month start at or after the instant. */
  ceil(ms: number): number {
    const start = this.floor(ms);
    return start === ms ? start : this.startOfIndex(this.indexOf(ms) + 1);
  }

  /** 'YYYY-MM' of a month index. */
  static label(index: number): string {
    return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
  }
}

/** Epoch ms of an ISO time from an event, or undefined when it is not one. */
export function parseMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export const isoOf = (ms: number): string => new Date(ms).toISOString();

/**
 * An instant in microseconds as ISO text with six decimals: timestamptz keeps microseconds, so
 * "one microsecond before a due date" compares correctly against millisecond query bounds.
 */
export function isoOfMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const rest = us - ms * 1000;
  return `${new Date(ms).toISOString().slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}

const BARE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Query times outside these years are refused (they only make the month arithmetic slow). */
export const QUERY_YEARS = { from: 1900, to: 2999 } as const;

/**
 * A query-string time: an ISO 8601 date-time with offset, or a bare date meaning local midnight
 * in `zone`. Undefined when it is neither, names an impossible date, or lies outside QUERY_YEARS.
 */
export function parseQueryInstant(value: string, zone: string): number | undefined {
  const ms = parseInstant(value, zone);
  if (ms === undefined) return undefined;
  const year = new Date(ms).getUTCFullYear();
  return year >= QUERY_YEARS.from && year <= QUERY_YEARS.to ? ms : undefined;
}

function parseInstant(value: string, zone: string): number | undefined {
  const bare = BARE_DATE.exec(value);
  if (bare) {
    const [year, month, day] = [Number(bare[1]), Number(bare[2]), Number(bare[3])];
    if (!validDate(year, month, day)) return undefined;
    return localMidnight(year, month, day, zone);
  }
  const full = DATE_TIME.exec(value);
  if (!full) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(full[i] ?? 0)) as [number, number, number, number, number, number];
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = full[7]!.toUpperCase();
  if (offset !== 'Z') {
    const digits = offset.replace(':', '');
    if (Number(digits.slice(1, 3)) > 23 || Number(digits.slice(3, 5)) > 59) return undefined;
  }
  const ms = Date.parse(value.length > 0 && /[+-]\d{4}$/.test(value) ? `${value.slice(0, -2)}:${value.slice(-2)}` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
