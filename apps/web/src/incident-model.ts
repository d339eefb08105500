/**
 * The shapes the console reads for incidents, their sources, imports and emerging hotspots
 * (evidence.md's route table), normalised as model.ts does for problems and actions.
 */
import { itemsOf } from './model';

type Raw = Record<string, unknown>;

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v));
const count = (v: unknown): number => num(v) ?? 0;

export const INCIDENT_STATUSES = ['untriaged', 'recorded', 'linked', 'duplicate', 'dismissed', 'withdrawn'];
export const INCIDENT_CHANNELS = ['open311', 'console', 'import'];
export const DISMISS_REASON_CODES = ['not-a-problem', 'out-of-area', 'test', 'other'];
export const IMPORT_FORMATS = ['police-uk-street', 'mapped-csv'];

export interface Incident {
  id: string;
  channel: string;
  source: string;
  category: string;
  sourceCategory?: string;
  status: string;
  unmapped: boolean;
  areaCode?: string;
  occurredAt?: string;
  occurredPrecision?: string;
  lat?: number;
  lng?: number;
  problemId?: string;
}

export function normaliseIncident(raw: Raw): Incident {
  const location = (raw['location'] as Raw | undefined) ?? {};
  return {
    id: String(raw['id'] ?? raw['incidentId'] ?? ''),
    channel: String(raw['channel'] ?? ''),
    source: String(raw['source'] ?? ''),
    category: String(raw['category'] ?? ''),
    sourceCategory: str(raw['sourceCategory']),
    status: String(raw['status'] ?? 'recorded'),
    unmapped: raw['unmapped'] === true,
    areaCode: str(raw['areaCode'] ?? location['areaCode']),
    occurredAt: str(raw['occurredAt']),
    occurredPrecision: str(raw['occurredPrecision']),
    lat: num(raw['lat'] ?? location['lat']),
    lng: num(raw['lng'] ?? location['lng']),
    problemId: str(raw['problemId']),
  };
}

export interface SuggestedProblem {
  id: string;
  title: string;
  reference?: string;
  category?: string;
  areaCode?: string;
  distanceMetres?: number;
}

export interface Suggestions {
  problems: SuggestedProblem[];
  duplicates: (Incident & { distanceMetres?: number })[];
}

export function normaliseSuggestions(raw: unknown): Suggestions {
  const suggestions = (raw as Raw | undefined) ?? {};
  return {
    problems: itemsOf(suggestions['problems']).map((p) => ({
      id: String(p['id'] ?? p['problemId'] ?? ''),
      title: String(p['title'] ?? ''),
      reference: str(p['reference']),
      category: str(p['category']),
      areaCode: str(p['areaCode'] ?? (p['location'] as Raw | undefined)?.['areaCode']),
      distanceMetres: num(p['distanceMetres']),
    })),
    duplicates: itemsOf(suggestions['duplicates']).map((d) => ({ ...normaliseIncident(d), distanceMetres: num(d['distanceMetres']) })),
  };
}

/** `40 m away`, or nothing when the distance is unknown. */
export function distanceText(metres: number | undefined): string {
  if (metres === undefined) return '';
  return metres >= 1000 ? `${(metres / 1000).toFixed(1)} km away` : `${Math.round(metres)} m away`;
}

/** When an incident happened, as precise as its source says (`Mar 2026` for a month-precision record). */
export function occurredText(incident: Pick<Incident, 'occurredAt' | 'occurredPrecision'>): string {
  if (!incident.occurredAt) return '';
  const time = Date.parse(incident.occurredAt);
  if (Number.isNaN(time)) return incident.occurredAt;
  if (incident.occurredPrecision === 'month') return new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(time);
  if (incident.occurredPrecision === 'day') return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(time);
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(time);
}

export interface Source {
  code: string;
  partnership?: string;
  name: string;
  kind?: string;
  triage?: boolean;
}

export function normaliseSource(raw: Raw): Source {
  return { code: String(raw['code'] ?? ''), partnership: str(raw['partnership']), name: String(raw['name'] ?? raw['code'] ?? ''), kind: str(raw['kind']), triage: typeof raw['triage'] === 'boolean' ? (raw['triage'] as boolean) : undefined };
}

export const IMPORT_COUNTS = ['rowsRead', 'recorded', 'unchanged', 'updated', 'withdrawn', 'rejected', 'outsidePartnership'] as const;
export type ImportCount = (typeof IMPORT_COUNTS)[number];

export interface ImportStatus {
  id: string;
  status: string;
  source?: string;
  format?: string;
  startedAt?: string;
  reason?: string;
  counts: Record<ImportCount, number>;
  rejectedRows: { row: number; column?: string; reason: string }[];
}

export function normaliseImport(raw: Raw): ImportStatus {
  const nested = (raw['counts'] as Raw | undefined) ?? {};
  const counts = Object.fromEntries(IMPORT_COUNTS.map((key) => [key, count(raw[key] ?? nested[key])])) as Record<ImportCount, number>;
  return {
    id: String(raw['id'] ?? raw['importId'] ?? ''),
    // A withdrawn import keeps the status it ended with, and gains the time it was withdrawn.
    status: raw['withdrawnAt'] ? 'withdrawn' : String(raw['status'] ?? 'queued'),
    source: str(raw['source']),
    format: str(raw['format']),
    startedAt: str(raw['sentAt'] ?? raw['startedAt']),
    reason: str(raw['reason']),
    counts,
    rejectedRows: itemsOf(raw['rejectedRows']).map((r) => ({ row: count(r['row']), column: str(r['column']), reason: String(r['reason'] ?? '') })),
  };
}

/** An import still at work: the page asks again until it completes or fails. */
export const importRunning = (status: string) => status === 'queued' || status === 'running';

export interface EmergingHotspot {
  areaCode: string;
  category: string;
  recent: number;
  baseline: number;
  expected: number;
  /** Recent over expected; null when the baseline had none (nothing was expected). */
  ratio: number | null;
  pValue: number;
  qValue: number;
  covered: boolean;
}

export function normaliseEmerging(raw: Raw): EmergingHotspot {
  return {
    areaCode: String(raw['areaCode'] ?? ''),
    category: String(raw['category'] ?? ''),
    recent: count(raw['recent']),
    baseline: count(raw['baseline']),
    expected: count(raw['expected']),
    ratio: num(raw['ratio']) ?? null,
    pValue: count(raw['pValue']),
    qValue: count(raw['qValue']),
    covered: raw['covered'] === true,
  };
}

export interface ProblemIncidents {
  count: number;
  byWeek: { week: string; count: number }[];
}

/** A problem's `incidents: {count, byWeek}`; byWeek as a list of `{week, count}` or a map of week to count. */
export function normaliseProblemIncidents(raw: unknown): ProblemIncidents | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const value = raw as Raw;
  const byWeekRaw = value['byWeek'];
  const byWeek = Array.isArray(byWeekRaw)
    ? (byWeekRaw as Raw[]).map((w) => ({ week: String(w['week'] ?? w['isoWeek'] ?? ''), count: count(w['count']) }))
    : byWeekRaw && typeof byWeekRaw === 'object'
      ? Object.entries(byWeekRaw as Record<string, unknown>).map(([week, n]) => ({ week, count: count(n) }))
      : [];
  return { count: count(value['count']), byWeek: byWeek.sort((a, b) => a.week.localeCompare(b.week)) };
}

/**
 * The raise-problem form's address for a problem raised from incidents: their ids, and the
 * category, area and middle point they share (left for the inspector when they differ).
 */
export function raiseFromIncidentsPath(incidents: Incident[]): string {
  const params = new URLSearchParams();
  params.set('incidentIds', incidents.map((i) => i.id).join(','));
  const categories = new Set(incidents.map((i) => i.category));
  const areas = new Set(incidents.map((i) => i.areaCode ?? ''));
  if (categories.size === 1) params.set('category', [...categories][0]!);
  if (areas.size === 1 && [...areas][0]) params.set('areaCode', [...areas][0]!);
  const placed = incidents.filter((i) => i.lat !== undefined && i.lng !== undefined);
  if (placed.length > 0) {
    params.set('lat', (placed.reduce((sum, i) => sum + i.lat!, 0) / placed.length).toFixed(5));
    params.set('lng', (placed.reduce((sum, i) => sum + i.lng!, 0) / placed.length).toFixed(5));
  }
  return `/problems/new?${params.toString()}`;
}

/** The incidents as GeoJSON points, for the map (those without coordinates are left off). */
export function incidentFeatures(incidents: Incident[]) {
  return {
    type: 'FeatureCollection' as const,
    features: incidents
      .filter((i) => i.lat !== undefined && i.lng !== undefined)
      .map((i) => ({ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [i.lng!, i.lat!] as [number, number] }, properties: { id: i.id, category: i.category, status: i.status } })),
  };
}
