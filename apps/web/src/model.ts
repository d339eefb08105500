/**
 * The shapes the console reads. The contract fixes routes and some fields; where it leaves the
 * JSON shape open, these normalisers accept camelCase or snake_case and nested or flat forms, so
 * the pages depend on one shape.
 */
import type { Tactic } from './vocab';

type Raw = Record<string, unknown>;

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v));
const pick = (raw: Raw, ...keys: string[]): unknown => {
  for (const key of keys) if (raw[key] !== undefined && raw[key] !== null) return raw[key];
  return undefined;
};

export interface Intervention {
  id: string;
  actionId?: string;
  tactic: Tactic;
  description: string;
  occurredAt?: string;
}

export interface Action {
  id: string;
  /** Its case reference, `SAFE-2026-0142/3` (none when its problem has none). */
  reference?: string;
  problemId?: string;
  problemTitle?: string;
  problemAreaCode?: string;
  problemCategory?: string;
  agency: string;
  description: string;
  tactic: Tactic;
  dueBy?: string;
  status: string;
  claimedBy?: { userId?: string; name?: string; agency?: string };
  decline?: { reasonCode?: string; note?: string };
  result?: string;
  dischargeNote?: string;
  dischargedAt?: string;
  cancelReason?: string;
  meetingId?: string;
  assignedAt?: string;
  overdue: boolean;
  revision?: number;
  interventions: Intervention[];
}

export interface Analysis {
  victim?: string;
  offender?: string;
  location?: string;
  hypotheses: string[];
}

export interface Review {
  rag: string;
  note?: string;
  meetingId?: string;
  at?: string;
}

export interface Problem {
  id: string;
  /** Its case reference, `SAFE-2026-0142` (none for problems raised before references). */
  reference?: string;
  partnership?: string;
  title: string;
  description?: string;
  category: string;
  areaCode: string;
  lat?: number;
  lng?: number;
  address?: string;
  priority?: string;
  harmScore?: number;
  source?: string;
  groupCode?: string;
  status: string;
  raisedAt?: string;
  rag?: string;
  analysis?: Analysis;
  reviews: Review[];
  closure?: { outcome?: string; displacement?: string; diffusionOfBenefits?: boolean; assessment?: string; closedAt?: string; override?: boolean };
  actions: Action[];
  openActions?: number;
  overdueActions?: number;
  revision?: number;
}

function tacticOf(raw: Raw): Tactic {
  const nested = raw['tactic'] as Raw | undefined;
  if (nested && typeof nested === 'object') return { category: String(nested['category'] ?? ''), name: String(nested['name'] ?? '') };
  return { category: String(pick(raw, 'tacticCategory', 'tactic_category') ?? ''), name: String(pick(raw, 'tacticName', 'tactic_name') ?? '') };
}

export function normaliseIntervention(raw: Raw): Intervention {
  return {
    id: String(pick(raw, 'id', 'interventionId') ?? ''),
    actionId: str(pick(raw, 'actionId', 'action_id')),
    tactic: tacticOf(raw),
    description: String(raw['description'] ?? ''),
    occurredAt: str(pick(raw, 'occurredAt', 'occurred_at')),
  };
}

const OPEN_STATUSES = ['unclaimed', 'claimed', 'declined'];

export function normaliseAction(raw: Raw, now = Date.now()): Action {
  const status = String(raw['status'] ?? 'unclaimed');
  const dueBy = str(pick(raw, 'dueBy', 'due_by'));
  const claimedRaw = pick(raw, 'claimedBy', 'claimed_by') as Raw | string | undefined;
  const claimedBy =
    claimedRaw && typeof claimedRaw === 'object'
      ? { userId: str(claimedRaw['userId']), name: str(claimedRaw['name']), agency: str(claimedRaw['agency']) }
      : pick(raw, 'claimedByName', 'claimed_by_name', 'claimedByUserId', 'claimed_by_user_id')
        ? { userId: str(pick(raw, 'claimedByUserId', 'claimed_by_user_id')), name: str(pick(raw, 'claimedByName', 'claimed_by_name')) }
        : typeof claimedRaw === 'string'
          ? { name: claimedRaw }
          : undefined;
  const declineRaw = pick(raw, 'decline', 'declined') as Raw | undefined;
  const decline =
    declineRaw && typeof declineRaw === 'object'
      ? { reasonCode: str(declineRaw['reasonCode']), note: str(declineRaw['note']) }
      : pick(raw, 'declineReasonCode', 'decline_reason_code')
        ? { reasonCode: str(pick(raw, 'declineReasonCode', 'decline_reason_code')), note: str(pick(raw, 'declineNote', 'decline_note')) }
        : undefined;
  const interventions = Array.isArray(raw['interventions']) ? (raw['interventions'] as Raw[]).map(normaliseIntervention) : [];
  const overdue = typeof raw['overdue'] === 'boolean' ? (raw['overdue'] as boolean) : OPEN_STATUSES.includes(status) && !!dueBy && Date.parse(dueBy) <= now;
  const problem = raw['problem'] as Raw | undefined;
  const discharge = (raw['discharge'] as Raw | null | undefined) ?? {};
  return {
    id: String(pick(raw, 'id', 'actionId') ?? ''),
    reference: str(raw['reference']),
    problemId: str(pick(raw, 'problemId', 'problem_id')) ?? str(problem?.['id']),
    problemTitle: str(pick(raw, 'problemTitle', 'problem_title')) ?? str(problem?.['title']),
    problemAreaCode: str(problem?.['areaCode']),
    problemCategory: str(problem?.['category']),
    agency: String(raw['agency'] ?? ''),
    description: String(raw['description'] ?? ''),
    tactic: tacticOf(raw),
    dueBy,
    status,
    claimedBy,
    decline,
    result: str(raw['result'] ?? discharge['result']),
    dischargeNote: str(pick(raw, 'dischargeNote', 'discharge_note', 'note') ?? discharge['note']),
    dischargedAt: str(pick(raw, 'dischargedAt', 'discharged_at') ?? discharge['dischargedAt']),
    cancelReason: str(pick(raw, 'cancelReason', 'cancel_reason')),
    meetingId: str(pick(raw, 'meetingId', 'meeting_id')),
    assignedAt: str(pick(raw, 'assignedAt', 'assigned_at')),
    overdue,
    revision: num(raw['revision']),
    interventions,
  };
}

export const isOpenAction = (action: Action) => OPEN_STATUSES.includes(action.status);

export function normaliseProblem(raw: Raw): Problem {
  const location = (raw['location'] as Raw | undefined) ?? {};
  const analysisRaw = raw['analysis'] as Raw | undefined;
  const closureRaw = (pick(raw, 'closure', 'lastClosure') as Raw | undefined) ?? (pick(raw, 'outcome') ? raw : undefined);
  const reviews = Array.isArray(raw['reviews'])
    ? (raw['reviews'] as Raw[]).map((r) => ({ rag: String(r['rag'] ?? ''), note: str(r['note']), meetingId: str(r['meetingId']), at: str(pick(r, 'recordedAt', 'reviewedAt', 'at')) }))
    : [];
  const actions = Array.isArray(raw['actions']) ? (raw['actions'] as Raw[]).map((a) => normaliseAction(a)) : [];
  // Interventions may come nested in actions or flat beside them.
  if (Array.isArray(raw['interventions'])) {
    for (const intervention of (raw['interventions'] as Raw[]).map(normaliseIntervention)) {
      const action = actions.find((a) => a.id === intervention.actionId);
      if (action && !action.interventions.some((i) => i.id === intervention.id)) action.interventions.push(intervention);
    }
  }
  return {
    id: String(pick(raw, 'id', 'problemId') ?? ''),
    reference: str(raw['reference']),
    partnership: str(raw['partnership']),
    title: String(raw['title'] ?? ''),
    description: str(raw['description']),
    category: String(raw['category'] ?? ''),
    areaCode: String(pick(location, 'areaCode', 'area_code') ?? pick(raw, 'areaCode', 'area_code') ?? ''),
    lat: num(pick(location, 'lat') ?? raw['lat']),
    lng: num(pick(location, 'lng') ?? raw['lng']),
    address: str(pick(location, 'address') ?? raw['address']),
    priority: str(raw['priority']),
    harmScore: num(pick(raw, 'harmScore', 'harm_score')),
    source: str(raw['source']),
    groupCode: str(pick(raw, 'groupCode', 'group_code')),
    status: String(raw['status'] ?? 'open'),
    raisedAt: str(pick(raw, 'raisedAt', 'raised_at')),
    rag: str(pick(raw, 'rag', 'lastRag', 'last_rag')) ?? reviews[reviews.length - 1]?.rag,
    analysis: analysisRaw
      ? {
          victim: str(analysisRaw['victim']),
          offender: str(analysisRaw['offender']),
          location: str(analysisRaw['location']),
          hypotheses: Array.isArray(analysisRaw['hypotheses']) ? (analysisRaw['hypotheses'] as unknown[]).map(String) : [],
        }
      : undefined,
    reviews,
    closure: closureRaw
      ? {
          outcome: str(closureRaw['outcome']),
          displacement: str(closureRaw['displacement']),
          diffusionOfBenefits: typeof pick(closureRaw, 'diffusionOfBenefits', 'diffusion_of_benefits') === 'boolean' ? (pick(closureRaw, 'diffusionOfBenefits', 'diffusion_of_benefits') as boolean) : undefined,
          assessment: str(closureRaw['assessment'] ?? raw['assessment']),
          closedAt: str(pick(closureRaw, 'closedAt', 'closed_at')),
          override: typeof pick(closureRaw, 'override', 'closedWithOverride', 'closed_with_override') === 'boolean' ? (pick(closureRaw, 'override', 'closedWithOverride', 'closed_with_override') as boolean) : undefined,
        }
      : undefined,
    actions,
    openActions: num(pick(raw, 'openActions', 'open_actions')) ?? (actions.length ? actions.filter(isOpenAction).length : undefined),
    overdueActions: num(pick(raw, 'overdueActions', 'overdue_actions')) ?? (actions.length ? actions.filter((a) => a.overdue).length : undefined),
    revision: num(raw['revision']),
  };
}

export interface Attendee {
  name: string;
  agency: string;
  /** Present when absent. */
  status?: 'present' | 'apologies';
  /** The member a deputy attends for. */
  deputisingFor?: string;
}

export function normaliseAttendee(raw: Raw): Attendee {
  const deputisingFor = str(raw['deputisingFor']);
  return {
    name: String(raw['name'] ?? ''),
    agency: String(raw['agency'] ?? ''),
    ...(raw['status'] === 'apologies' ? { status: 'apologies' as const } : {}),
    ...(deputisingFor ? { deputisingFor } : {}),
  };
}

export interface Meeting {
  id: string;
  groupCode: string;
  heldOn?: string;
  chair?: string;
  status: string;
  attendees: Attendee[];
  tabledProblems: { id: string; title?: string; areaCode?: string; category?: string; status?: string }[];
  actionsByAgency: { agency: string; actions: Action[] }[];
  minutesNote?: string;
  revision?: number;
}

export function normaliseMeeting(raw: Raw): Meeting {
  const tabled = (pick(raw, 'tabledProblems', 'problems', 'tabled') as unknown[] | undefined) ?? [];
  const agreed = pick(raw, 'actionsByAgency', 'actions', 'agreedActions');
  let actionsByAgency: Meeting['actionsByAgency'] = [];
  if (Array.isArray(agreed)) {
    if (agreed.length > 0 && Array.isArray((agreed[0] as Raw)['actions'])) {
      actionsByAgency = (agreed as Raw[]).map((g) => ({ agency: String(g['agency'] ?? ''), actions: (g['actions'] as Raw[]).map((a) => normaliseAction(a)) }));
    } else {
      const grouped = new Map<string, Action[]>();
      for (const action of (agreed as Raw[]).map((a) => normaliseAction(a))) grouped.set(action.agency, [...(grouped.get(action.agency) ?? []), action]);
      actionsByAgency = [...grouped].map(([agency, actions]) => ({ agency, actions }));
    }
  } else if (agreed && typeof agreed === 'object') {
    actionsByAgency = Object.entries(agreed as Record<string, unknown>).map(([agency, list]) => ({
      agency,
      actions: Array.isArray(list) ? (list as Raw[]).map((a) => normaliseAction(typeof a === 'object' ? a : { id: String(a), agency })) : [],
    }));
  }
  return {
    id: String(pick(raw, 'id', 'meetingId') ?? ''),
    groupCode: String(pick(raw, 'groupCode', 'group_code') ?? ''),
    heldOn: str(pick(raw, 'heldOn', 'held_on')),
    chair: str(raw['chair']),
    status: String(raw['status'] ?? (pick(raw, 'closedAt', 'minutesNote') ? 'closed' : 'open')),
    attendees: Array.isArray(pick(raw, 'attendees', 'attendance'))
      ? (pick(raw, 'attendees', 'attendance') as Raw[]).map(normaliseAttendee)
      : [],
    tabledProblems: tabled.map((p) =>
      typeof p === 'string'
        ? { id: p }
        : {
            id: String(pick(p as Raw, 'problemId', 'id') ?? ''),
            title: str((p as Raw)['title']),
            areaCode: str(pick(p as Raw, 'areaCode', 'area_code') ?? ((p as Raw)['location'] as Raw | undefined)?.['areaCode']),
            category: str((p as Raw)['category']),
            status: str((p as Raw)['status']),
          },
    ),
    actionsByAgency,
    minutesNote: str(pick(raw, 'minutesNote', 'minutes_note')),
    revision: num(raw['revision']),
  };
}

export interface Hotspot {
  areaCode: string;
  openProblems: number;
  openActions: number;
  unclaimedActions: number;
  overdueActions: number;
  raised: number;
  closed: number;
  score: number;
  byCategory?: Record<string, number>;
  byPriority?: Record<string, number>;
}

export function normaliseHotspot(raw: Raw): Hotspot {
  return {
    areaCode: String(pick(raw, 'areaCode', 'area_code') ?? ''),
    openProblems: num(raw['openProblems']) ?? 0,
    openActions: num(raw['openActions']) ?? 0,
    unclaimedActions: num(raw['unclaimedActions']) ?? 0,
    overdueActions: num(raw['overdueActions']) ?? 0,
    raised: num(raw['raised']) ?? 0,
    closed: num(raw['closed']) ?? 0,
    score: num(raw['score']) ?? 0,
    byCategory: raw['byCategory'] as Record<string, number> | undefined,
    byPriority: raw['byPriority'] as Record<string, number> | undefined,
  };
}

export interface HistoryEntry {
  position: string;
  stream: string;
  revision: number;
  type: string;
  recordedAt: string;
  actor?: { userId?: string; name?: string; agency?: string; role?: string; system?: string };
  data: Raw;
}

export interface Area {
  code: string;
  name: string;
  centroid?: { lat: number; lng: number };
  boundary?: unknown;
}

export function normaliseArea(raw: Raw): Area {
  const centroid = raw['centroid'] as Raw | undefined;
  const lat = num(centroid?.['lat'] ?? pick(raw, 'centroidLat', 'centroid_lat'));
  const lng = num(centroid?.['lng'] ?? pick(raw, 'centroidLng', 'centroid_lng'));
  return {
    code: String(raw['code'] ?? ''),
    name: String(raw['name'] ?? raw['code'] ?? ''),
    centroid: lat !== undefined && lng !== undefined ? { lat, lng } : undefined,
    boundary: raw['boundary'] ?? undefined,
  };
}

export interface Agency {
  code: string;
  name: string;
  kind?: string;
  active: boolean;
}

export function normaliseAgency(raw: Raw): Agency {
  return { code: String(raw['code'] ?? ''), name: String(raw['name'] ?? raw['code'] ?? ''), kind: str(raw['kind']), active: raw['active'] !== false };
}

export interface GroupMember {
  name: string;
  agency: string;
  role?: string;
}

export interface Group {
  code: string;
  name: string;
  partnership?: string;
  areaCodes: string[];
  schedule?: { everyDays: number; from: string; time?: string };
  members: GroupMember[];
  /** The next date by the schedule (absent without one), and the open meeting ahead when one is scheduled. */
  nextMeeting?: { date?: string; time?: string; meetingId?: string; heldOn?: string };
}

export function normaliseGroup(raw: Raw): Group {
  const areas = pick(raw, 'areaCodes', 'area_codes');
  const members = Array.isArray(raw['members']) ? (raw['members'] as Raw[]) : [];
  const schedule = raw['schedule'] as Raw | undefined;
  const next = raw['nextMeeting'] as Raw | undefined;
  const meeting = next?.['meeting'] as Raw | undefined;
  return {
    code: String(raw['code'] ?? ''),
    name: String(raw['name'] ?? raw['code'] ?? ''),
    partnership: str(raw['partnership']),
    areaCodes: Array.isArray(areas) ? areas.map(String) : [],
    ...(schedule ? { schedule: { everyDays: Number(schedule['everyDays'] ?? 14), from: String(schedule['from'] ?? ''), time: str(schedule['time']) } } : {}),
    members: members.map((m) => ({ name: String(m['name'] ?? ''), agency: String(m['agency'] ?? ''), role: str(m['role']) })),
    ...(next ? { nextMeeting: { date: str(next['date']), time: str(next['time']), meetingId: str(meeting?.['id']), heldOn: str(meeting?.['heldOn']) } } : {}),
  };
}

export const itemsOf = (data: unknown): Raw[] =>
  Array.isArray(data) ? (data as Raw[]) : Array.isArray((data as { items?: unknown })?.items) ? ((data as { items: Raw[] }).items) : [];
