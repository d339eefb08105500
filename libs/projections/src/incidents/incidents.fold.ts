import { asDomainEvent, parseStreamName, type IncidentEvent, type IncidentLocation, type OccurredPrecision } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import { BUCKET_TIME_ZONE } from '../analytics/time';
import { RowBatch, utc } from '../sql';
import { occurredOn, weekStartOfDate } from './periods';

/** The zone of the counts' weeks and months: the default TIME_ZONE, as the analytics buckets. */
export const COUNTS_TIME_ZONE = BUCKET_TIME_ZONE;

export const INCIDENT_STATUSES = ['recorded', 'untriaged', 'linked', 'duplicate', 'dismissed', 'withdrawn'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** A row of `incident_points`: no personal field (no description, reporter, address or attribute value). */
export interface IncidentPointRow {
  [column: string]: unknown;
  id: string;
  partnership: string;
  source: string;
  channel: string;
  category: string;
  source_category: string;
  status: IncidentStatus;
  /** Its source's triage flag when recorded: untriaged until linked, marked duplicate or dismissed. */
  triage: boolean;
  unmapped: boolean;
  area_code: string | null;
  occurred_at: string;
  precision: OccurredPrecision;
  /** The local date it names: a date or month (its first day) as given; an exact time's date in COUNTS_TIME_ZONE. */
  occurred_on: string;
  /** The Monday starting its ISO week in COUNTS_TIME_ZONE; null for month precision. */
  week: string | null;
  /** The first day of its calendar month in COUNTS_TIME_ZONE. */
  month: string;
  lat: number | null;
  lng: number | null;
  problem_id: string | null;
  duplicate_of: string | null;
  import_id: string | null;
  recorded_at: string;
  revision: number;
  position: string;
}

export const INCIDENT_POINTS_TABLE = { name: 'incident_points', key: 'id', keyType: 'uuid' } as const;

/** Withdrawn incidents and duplicates are not counted, nor those without an area. */
const counted = (row: IncidentPointRow): boolean => row.status !== 'withdrawn' && row.status !== 'duplicate' && row.area_code !== null;

/** A count's key: `partnership`, `area_code`, `category`, `source` and the period, as one string. */
const countKey = (row: IncidentPointRow, period: string): string => JSON.stringify([row.partnership, row.area_code, row.category, row.source, period]);

export interface CountDelta {
  partnership: string;
  area_code: string;
  category: string;
  source: string;
  period: string;
  delta: number;
}

export interface CoverageRow {
  [column: string]: unknown;
  partnership: string;
  source: string;
  latest_occurred_at: string;
  live: boolean;
}

/**
 * A batch of incident events: the points it touches (as stored before it, then as it leaves them),
 * from which the changes of counts follow, and the sources' coverage.
 */
export class IncidentsBatch {
  readonly points = new RowBatch<IncidentPointRow>(INCIDENT_POINTS_TABLE);
  /** Each touched point as it was before the batch (null: new in the batch). */
  private readonly before = new Map<string, IncidentPointRow | null>();
  readonly coverage = new Map<string, CoverageRow>();

  /** Remembers a point's stored state the first time the batch changes it. */
  touch(id: string): IncidentPointRow | undefined {
    const row = this.points.get(id);
    if (!this.before.has(id)) this.before.set(id, row ?? null);
    return row;
  }

  /** The counts' changes, per table: -1 for each point's old key, +1 for its new one, netted. */
  countDeltas(): { weekly: CountDelta[]; monthly: CountDelta[] } {
    const weekly = new Map<string, number>();
    const monthly = new Map<string, number>();
    const add = (row: IncidentPointRow | null | undefined, sign: number) => {
      if (!row || !counted(row)) return;
      if (row.week !== null) weekly.set(countKey(row, row.week), (weekly.get(countKey(row, row.week)) ?? 0) + sign);
      monthly.set(countKey(row, row.month), (monthly.get(countKey(row, row.month)) ?? 0) + sign);
    };
    for (const [id, old] of this.before) {
      add(old, -1);
      add(this.points.get(id), 1);
    }
    const deltas = (map: Map<string, number>) =>
      [...map]
        .filter(([, delta]) => delta !== 0)
        .map(([key, delta]) => {
          const [partnership, area_code, category, source, period] = JSON.parse(key) as string[];
          return { partnership: partnership!, area_code: area_code!, category: category!, source: source!, period: period!, delta };
        });
    return { weekly: deltas(weekly), monthly: deltas(monthly) };
  }
}

const periodsOf = (occurredAt: string, precision: OccurredPrecision) => {
  const on = occurredOn(occurredAt, COUNTS_TIME_ZONE);
  return { occurred_on: on, week: precision === 'month' ? null : weekStartOfDate(on), month: `${on.slice(0, 7)}-01` };
};

const locationFields = (location: IncidentLocation) => ({ lat: location.lat ?? null, lng: location.lng ?? null, area_code: location.areaCode ?? null });

/** Status once triage ends or is undone: untriaged for sources that triage, recorded otherwise. */
const openStatus = (row: IncidentPointRow): IncidentStatus => (row.triage ? 'untriaged' : 'recorded');

export function foldIncidentEvent(batch: IncidentsBatch, recorded: RecordedEvent): void {
  const stream = parseStreamName(recorded.stream);
  if (stream?.kind !== 'incident') return;
  const event = asDomainEvent(recorded) as IncidentEvent | undefined;
  if (!event) return;
  const id = stream.id;
  const at = { revision: recorded.revision, position: recorded.position };
  const row = batch.touch(id);
  switch (event.type) {
    case 'IncidentRecorded': {
      const data = event.data;
      const point: IncidentPointRow = {
        id,
        partnership: data.partnership,
        source: data.source,
        channel: data.channel,
        category: data.category,
        source_category: data.sourceCategory,
        status: data.triage ? 'untriaged' : 'recorded',
        triage: data.triage,
        unmapped: data.unmapped,
        ...locationFields(data.location),
        occurred_at: utc(data.occurredAt),
        precision: data.occurredPrecision,
        ...periodsOf(data.occurredAt, data.occurredPrecision),
        problem_id: null,
        duplicate_of: null,
        import_id: data.importId ?? null,
        recorded_at: utc(recorded.recordedAt),
        ...at,
      };
      batch.points.put(id, point);
      cover(batch, point, data.occurredAt);
      return;
    }
    case 'IncidentUpdated': {
      if (!row) return;
      const data = event.data;
      const occurredAt = data.occurredAt;
      const precision = data.occurredPrecision ?? row.precision;
      const updated: IncidentPointRow = {
        ...row,
        ...at,
        ...(data.category !== undefined && { category: data.category }),
        ...(data.sourceCategory !== undefined && { source_category: data.sourceCategory }),
        ...(data.location !== undefined && locationFields(data.location)),
        ...(data.unmapped !== undefined && { unmapped: data.unmapped }),
        ...(occurredAt !== undefined && { occurred_at: utc(occurredAt), precision, ...periodsOf(occurredAt, precision) }),
        ...(data.importId !== undefined && { import_id: data.importId }),
      };
      batch.points.put(id, updated);
      if (occurredAt !== undefined) cover(batch, updated, occurredAt);
      return;
    }
    case 'IncidentWithdrawn':
      batch.points.patch(id, { ...at, status: 'withdrawn' });
      return;
    case 'IncidentLinked':
      batch.points.patch(id, { ...at, status: 'linked', problem_id: event.data.problemId, duplicate_of: null });
      return;
    case 'IncidentUnlinked':
      if (row) batch.points.put(id, { ...row, ...at, status: openStatus(row), problem_id: null });
      return;
    case 'IncidentMarkedDuplicate':
      batch.points.patch(id, { ...at, status: 'duplicate', duplicate_of: event.data.of });
      return;
    case 'IncidentDismissed':
      batch.points.patch(id, { ...at, status: 'dismissed' });
      return;
    default:
      batch.points.patch(id, at);
      return;
  }
}

/** The source's latest occurrence recorded, and whether it reports live (not by import). */
function cover(batch: IncidentsBatch, point: IncidentPointRow, occurredAt: string): void {
  const key = `${point.partnership}\u0000${point.source}`;
  const known = batch.coverage.get(key);
  const latest = utc(occurredAt);
  batch.coverage.set(key, {
    partnership: point.partnership,
    source: point.source,
    latest_occurred_at: known && Date.parse(known.latest_occurred_at) > Date.parse(latest) ? known.latest_occurred_at : latest,
    live: (known?.live ?? false) || point.channel !== 'import',
  });
}
