import type {
  ActionEntity,
  AgencyEntity,
  AreaEntity,
  InterventionEntity,
  MeetingAttendeeEntity,
  MeetingEntity,
  ProblemEntity,
  SourceEntity,
  TaskingGroupEntity,
  TaskingGroupScheduleEntity,
} from '@tasking/projections';
import { OPEN311_SOURCE, nextMeetingDate } from '@tasking/domain';

/** The JSON shapes of the core query routes, built from read-model entities. */

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

export function problemSummary(p: ProblemEntity) {
  return {
    id: p.id,
    /** Its case reference (`SAFE-2026-0142`); null for a problem raised before references. */
    reference: p.reference,
    partnership: p.partnership,
    title: p.title,
    category: p.category,
    location: { areaCode: p.areaCode, lat: p.lat, lng: p.lng, address: p.address },
    priority: p.priority,
    harmScore: p.harmScore,
    source: p.source,
    groupCode: p.groupCode,
    status: p.status,
    raisedAt: p.raisedAt.toISOString(),
    /** The latest closure (it stands while status is closed; kept after a reopen). */
    lastClosure:
      p.closedAt === null
        ? null
        : {
            outcome: p.outcome,
            displacement: p.displacement,
            diffusionOfBenefits: p.diffusionOfBenefits,
            override: p.closedWithOverride === true,
            closedAt: p.closedAt.toISOString(),
          },
    lastRag: p.lastRag,
    closures: p.closures,
    reopenings: p.reopenings,
    revision: p.revision,
  };
}

/**
 * What an action card says about its problem: the title (problem text, as every reader of the
 * partnership sees it; `[erased]` once retention has erased it), category and area. Null while the
 * problem's row is not yet projected.
 */
export function problemContext(p: ProblemEntity | undefined) {
  return p === undefined ? null : { id: p.id, title: p.title, category: p.category, areaCode: p.areaCode, status: p.status };
}

export function interventionView(i: InterventionEntity) {
  return {
    id: i.id,
    actionId: i.actionId,
    agency: i.agency,
    tactic: { category: i.tacticCategory, name: i.tacticName },
    description: i.description,
    occurredAt: i.occurredAt.toISOString(),
  };
}

const OPEN_STATUSES = new Set(['unclaimed', 'claimed', 'declined']);

/** Overdue is computed here, at query time, from the clock: open and now at or after the current due date. */
export function actionView(a: ActionEntity, now: Date) {
  const open = OPEN_STATUSES.has(a.status);
  return {
    id: a.id,
    /** Its case reference (`SAFE-2026-0142/3`); null when its problem has none. */
    reference: a.reference,
    problemId: a.problemId,
    partnership: a.partnership,
    agency: a.agency,
    description: a.description,
    tactic: { category: a.tacticCategory, name: a.tacticName },
    status: a.status,
    open,
    overdue: open && now.getTime() >= a.dueBy.getTime(),
    dueBy: a.dueBy.toISOString(),
    dueByRevision: a.dueByRevision,
    assignedAt: a.assignedAt.toISOString(),
    meetingId: a.meetingId,
    claimedBy: a.claimedByUserId === null ? null : { userId: a.claimedByUserId, name: a.claimedByName },
    declined: a.declineReasonCode === null ? null : { reasonCode: a.declineReasonCode, note: a.declineNote },
    discharge: a.dischargedAt === null ? null : { result: a.result, note: a.dischargeNote, dischargedAt: iso(a.dischargedAt) },
    cancelReason: a.cancelReason,
    escalations: a.escalations,
    reassignments: a.reassignments,
    interventionCount: a.interventions,
    revision: a.revision,
  };
}

export function problemDetail(p: ProblemEntity, actions: readonly ActionEntity[], interventions: readonly InterventionEntity[], now: Date) {
  return {
    ...problemSummary(p),
    description: p.description,
    assessment: p.assessment,
    analysis: p.analysis,
    actions: actions.map((a) => ({
      ...actionView(a, now),
      interventions: interventions.filter((i) => i.actionId === a.id).map(interventionView),
    })),
  };
}

/**
 * An agency; for an admin, `webhooks`: its webhook URL for each of the admin's partnerships (null
 * where none is set), never another partnership's; and `webhookUrl`, that URL when the admin holds
 * a single partnership.
 */
export function agencyView(a: AgencyEntity, admin: { partnerships: readonly string[]; defaultPartnership: string } | undefined) {
  const urlFor = (partnership: string): string | null =>
    a.webhookUrls[partnership] ?? (partnership === admin?.defaultPartnership ? a.webhookUrl : null) ?? null;
  const webhooks = admin ? Object.fromEntries(admin.partnerships.map((p) => [p, urlFor(p)])) : undefined;
  return {
    code: a.code,
    name: a.name,
    kind: a.kind,
    active: a.active,
    ...(admin ? { webhooks, ...(admin.partnerships.length === 1 ? { webhookUrl: urlFor(admin.partnerships[0]!) } : {}) } : {}),
  };
}

/**
 * A group; with its `schedule` and `members` once set, and its `nextMeeting` when it has a schedule
 * or an open meeting ahead: `date` the schedule's next date on or after `today` (null without a
 * schedule), `time` the schedule's, `meeting` the first open meeting from today (null when none).
 */
export function groupView(g: TaskingGroupEntity, plan: TaskingGroupScheduleEntity | undefined, upcoming: MeetingEntity | undefined, today: string) {
  const schedule = plan?.schedule ?? undefined;
  const members = plan?.members ?? [];
  const date = schedule ? nextMeetingDate(schedule, today) : null;
  return {
    code: g.code,
    partnership: g.partnership,
    name: g.name,
    areaCodes: g.areaCodes,
    ...(schedule ? { schedule } : {}),
    ...(members.length > 0 ? { members } : {}),
    ...(date !== null || upcoming ? { nextMeeting: { date, time: schedule?.time ?? null, meeting: upcoming ? meetingSummary(upcoming) : null } } : {}),
  };
}

/** An attendee: `status` and `deputisingFor` only for apologies and deputies (present is the default). */
export function attendeeView(a: MeetingAttendeeEntity) {
  return {
    name: a.name,
    agency: a.agency,
    ...(a.status !== 'present' ? { status: a.status } : {}),
    ...(a.deputisingFor !== null ? { deputisingFor: a.deputisingFor } : {}),
  };
}

export function areaView(a: AreaEntity) {
  return {
    code: a.code,
    partnership: a.partnership,
    name: a.name,
    centroid: { lat: a.centroidLat, lng: a.centroidLng },
    boundary: a.boundary ?? null,
    lsoaCodes: a.lsoaCodes,
    neighbours: a.neighbours,
    externalCode: a.externalCode,
  };
}

/**
 * A source of incidents. `coveredUntil` (how far its incidents are known to reach) is null until
 * the incident read models give it.
 */
export function sourceView(s: Pick<SourceEntity, 'code' | 'partnership' | 'name' | 'kind' | 'triage' | 'categoryMap'>, builtIn = false) {
  return { code: s.code, partnership: s.partnership, name: s.name, kind: s.kind, triage: s.triage, categoryMap: s.categoryMap, builtIn, coveredUntil: null };
}

/** The built-in `open311` source every partnership has without registering it. */
export const open311SourceView = (partnership: string) => sourceView({ ...OPEN311_SOURCE, partnership, categoryMap: {} }, true);

export function meetingSummary(m: MeetingEntity) {
  return {
    id: m.id,
    partnership: m.partnership,
    groupCode: m.groupCode,
    heldOn: m.heldOn,
    chair: m.chair,
    status: m.status,
    minutesNote: m.minutesNote,
    revision: m.revision,
  };
}
