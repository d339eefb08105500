import { asDomainEvent, ERASED, parseStreamName, type DomainEvent } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import { RowBatch, utc } from '../sql';

/** A row of `problems`, as the projector holds it (column names, timestamps as ISO text). */
export interface ProblemRow {
  [column: string]: unknown;
  id: string;
  partnership: string;
  title: string;
  description: string;
  category: string;
  area_code: string;
  lat: number | null;
  lng: number | null;
  address: string | null;
  priority: string | null;
  harm_score: number | null;
  source: string;
  group_code: string | null;
  status: 'open' | 'closed';
  raised_at: string;
  /** The latest closure's (kept after a reopen; `status` says whether it stands). */
  closed_at: string | null;
  outcome: string | null;
  displacement: string | null;
  diffusion_of_benefits: boolean | null;
  assessment: string | null;
  closed_with_override: boolean | null;
  last_rag: string | null;
  analysis: { victim: string | null; offender: string | null; location: string | null; hypotheses: string[] } | null;
  closures: number;
  reopenings: number;
  /** The agency of the actor who raised it (from the event's metadata); null when unknown. */
  raised_by_agency: string | null;
  /** When the retention erasure of the latest closure ran. */
  personal_data_erased_at: string | null;
  /** Revision of the problem stream's last event. */
  revision: number;
  /** Position of the problem stream's last event. */
  position: string;
}

/** A row of `problem_subjects`: personal fields NULL once erased. Revision and position: its last event's. */
export interface SubjectRow {
  [column: string]: unknown;
  id: string;
  problem_id: string;
  partnership: string;
  role: string;
  name: string | null;
  date_of_birth: string | null;
  address: string | null;
  notes: string | null;
  added_at: string;
  erased: boolean;
  erased_at: string | null;
  revision: number;
  position: string;
}

export type ActionStatus = 'unclaimed' | 'claimed' | 'declined' | 'discharged' | 'cancelled';

/** A row of `actions`. */
export interface ActionRow {
  [column: string]: unknown;
  id: string;
  problem_id: string;
  partnership: string;
  agency: string;
  description: string;
  tactic_category: string;
  tactic_name: string;
  due_by: string;
  /** Revision of the event that set the current due_by. */
  due_by_revision: number;
  status: ActionStatus;
  claimed_by_user_id: string | null;
  claimed_by_name: string | null;
  decline_reason_code: string | null;
  decline_note: string | null;
  assigned_at: string;
  discharged_at: string | null;
  result: string | null;
  discharge_note: string | null;
  cancel_reason: string | null;
  meeting_id: string | null;
  /** Its case reference; null when its problem has none. */
  reference: string | null;
  escalations: number;
  escalated_due_by_revision: number | null;
  reassignments: number;
  interventions: number;
  revision: number;
  position: string;
}

/** A row of `interventions`. */
export interface InterventionRow {
  [column: string]: unknown;
  id: string;
  action_id: string;
  problem_id: string;
  partnership: string;
  /** The action's agency when it was recorded. */
  agency: string;
  tactic_category: string;
  tactic_name: string;
  description: string;
  occurred_at: string;
  revision: number;
  position: string;
}

export const PROBLEMS_TABLE = { name: 'problems', key: 'id', keyType: 'uuid' } as const;
export const ACTIONS_TABLE = { name: 'actions', key: 'id', keyType: 'uuid' } as const;
export const INTERVENTIONS_TABLE = 'interventions';
export const SUBJECTS_TABLE = { name: 'problem_subjects', key: 'id', keyType: 'uuid' } as const;

/** A retention erasure folded in a batch: rows of the problem last written before `position` lose their text. */
export interface Erasure {
  problemId: string;
  position: string;
  erasedAt: string;
}

/** What one batch of the `problems` projection reads and writes. */
export class ProblemsBatch {
  readonly problems = new RowBatch<ProblemRow>(PROBLEMS_TABLE);
  readonly actions = new RowBatch<ActionRow>(ACTIONS_TABLE);
  readonly interventions: InterventionRow[] = [];
  readonly subjects = new RowBatch<SubjectRow>(SUBJECTS_TABLE);
  /**
   * Retention erasures in this batch. The fold applies them to the rows the batch holds; the
   * projector applies them to the problem's rows stored by earlier batches (projection.ts).
   */
  readonly erasures: Erasure[] = [];
}

/** Free text of an erased problem: what a rebuild reads once the key is gone (ERASED), NULL staying NULL. */
const erasedText = (value: string | null): string | null => (value === null ? null : ERASED);

const before = (a: string, b: string): boolean => a < b;

export function eraseActionText(row: ActionRow): ActionRow {
  return {
    ...row,
    description: ERASED,
    decline_note: erasedText(row.decline_note),
    discharge_note: erasedText(row.discharge_note),
    cancel_reason: erasedText(row.cancel_reason),
  };
}

export function eraseSubjectFields(row: SubjectRow, erasedAt: string): SubjectRow {
  return { ...row, name: null, date_of_birth: null, address: null, notes: null, erased: true, erased_at: row.erased_at ?? erasedAt };
}

/**
 * Folds one event into the batch. Pure: the rows a later event needs must already be in the batch
 * (loaded, or put by an earlier event). Also used in memory for `?asAt=` reads, so the detail of a
 * problem as it stood then is built by exactly the code that builds it now.
 */
export function foldProblemsEvent(batch: ProblemsBatch, recorded: RecordedEvent): void {
  const stream = parseStreamName(recorded.stream);
  const event = asDomainEvent(recorded);
  if (!stream || !event) return;
  const at = { revision: recorded.revision, position: recorded.position };
  if (stream.kind === 'problem') foldProblemEvent(batch, stream.id, event, at, actorAgency(recorded.metadata));
  else if (stream.kind === 'action') foldActionEvent(batch, stream.id, event, at);
}

/** The agency of the user behind an event (metadata `actor.agency`); null for system actors and bare events. */
function actorAgency(metadata: Record<string, unknown>): string | null {
  const actor = metadata['actor'];
  if (typeof actor !== 'object' || actor === null) return null;
  const agency = (actor as Record<string, unknown>)['agency'];
  return typeof agency === 'string' ? agency : null;
}

interface At {
  revision: number;
  position: string;
}

function foldProblemEvent(batch: ProblemsBatch, id: string, event: DomainEvent, at: At, agency: string | null): void {
  if (event.type === 'ProblemRaised') {
    const { data } = event;
    batch.problems.put(id, {
      id,
      partnership: data.partnership,
      title: data.title,
      description: data.description,
      category: data.category,
      area_code: data.location.areaCode,
      lat: data.location.lat ?? null,
      lng: data.location.lng ?? null,
      address: data.location.address ?? null,
      priority: data.priority ?? null,
      harm_score: null,
      source: data.source,
      group_code: data.groupCode ?? null,
      reference: data.reference ?? null,
      status: 'open',
      raised_at: utc(data.raisedAt),
      closed_at: null,
      outcome: null,
      displacement: null,
      diffusion_of_benefits: null,
      assessment: null,
      closed_with_override: null,
      last_rag: null,
      analysis: null,
      closures: 0,
      reopenings: 0,
      raised_by_agency: agency,
      personal_data_erased_at: null,
      ...at,
    });
    return;
  }
  const row = batch.problems.get(id);
  if (!row) return; // the decider never appends to a problem before ProblemRaised
  const next: ProblemRow = { ...row, ...at };
  switch (event.type) {
    case 'ProblemAmended': {
      const { title, description, category, location } = event.data;
      if (title !== undefined) next.title = title;
      if (description !== undefined) next.description = description;
      if (category !== undefined) next.category = category;
      if (location !== undefined) {
        next.area_code = location.areaCode;
        next.lat = location.lat ?? null;
        next.lng = location.lng ?? null;
        next.address = location.address ?? null;
      }
      break;
    }
    case 'ProblemPrioritised':
      next.priority = event.data.priority;
      next.harm_score = event.data.harmScore ?? null;
      break;
    case 'ProblemAnalysed':
      next.analysis = {
        victim: event.data.victim ?? null,
        offender: event.data.offender ?? null,
        location: event.data.location ?? null,
        hypotheses: event.data.hypotheses ?? [],
      };
      break;
    case 'ProblemReviewed':
      next.last_rag = event.data.rag;
      break;
    case 'ProblemClosed':
      next.status = 'closed';
      next.closed_at = utc(event.data.closedAt);
      next.outcome = event.data.outcome;
      next.displacement = event.data.displacement ?? null;
      next.diffusion_of_benefits = event.data.diffusionOfBenefits ?? null;
      next.assessment = event.data.assessment;
      next.closed_with_override = event.data.override === true;
      next.closures = row.closures + 1;
      break;
    case 'ProblemReopened':
      next.status = 'open';
      next.reopenings = row.reopenings + 1;
      next.personal_data_erased_at = null;
      break;
    case 'SubjectAdded': {
      const { data } = event;
      batch.subjects.put(data.subjectId, {
        id: data.subjectId,
        problem_id: id,
        partnership: row.partnership,
        role: data.role,
        name: data.name,
        date_of_birth: data.dateOfBirth ?? null,
        address: data.address ?? null,
        notes: data.notes ?? null,
        added_at: utc(data.addedAt),
        erased: false,
        erased_at: null,
        ...at,
      });
      break;
    }
    case 'SubjectErased': {
      const subject = batch.subjects.get(event.data.subjectId);
      if (subject) batch.subjects.put(subject.id, { ...eraseSubjectFields(subject, utc(event.data.erasedAt)), erased_at: utc(event.data.erasedAt), ...at });
      break;
    }
    case 'ProblemPersonalDataErased': {
      // Exactly what a rebuild reads once the keys are gone: ERASED for the free text, no subject
      // fields. Categories, areas, dates, agencies, tactics and outcomes stay.
      const erasedAt = utc(event.data.erasedAt);
      next.title = ERASED;
      next.description = ERASED;
      next.address = erasedText(row.address);
      next.assessment = erasedText(row.assessment);
      next.analysis =
        row.analysis === null
          ? null
          : {
              victim: erasedText(row.analysis.victim),
              offender: erasedText(row.analysis.offender),
              location: erasedText(row.analysis.location),
              hypotheses: row.analysis.hypotheses.map(() => ERASED),
            };
      next.personal_data_erased_at = erasedAt;
      // Rows of the problem this batch holds; the projector updates those stored earlier.
      for (const action of batch.actions.all()) {
        if (action.problem_id === id && before(action.position, at.position)) batch.actions.put(action.id, eraseActionText(action));
      }
      for (const [index, intervention] of batch.interventions.entries()) {
        if (intervention.problem_id === id && before(intervention.position, at.position)) batch.interventions[index] = { ...intervention, description: ERASED };
      }
      for (const subject of batch.subjects.all()) {
        if (subject.problem_id === id && before(subject.position, at.position)) batch.subjects.put(subject.id, eraseSubjectFields(subject, erasedAt));
      }
      batch.erasures.push({ problemId: id, position: at.position, erasedAt });
      break;
    }
    default:
      // ProblemTabled (the meetings projection keeps it) and ActionAgreed (the action's own
      // ActionAssigned, in the same append, creates the action row) only move the revision.
      break;
  }
  batch.problems.put(id, next);
}

/** While open: claimed, declined (waiting for the inspector) or unclaimed. */
function openStatus(row: Pick<ActionRow, 'claimed_by_user_id' | 'decline_reason_code'>): ActionStatus {
  if (row.claimed_by_user_id !== null) return 'claimed';
  if (row.decline_reason_code !== null) return 'declined';
  return 'unclaimed';
}

function foldActionEvent(batch: ProblemsBatch, id: string, event: DomainEvent, at: At): void {
  if (event.type === 'ActionAssigned') {
    const { data } = event;
    batch.actions.put(id, {
      id,
      problem_id: data.problemId,
      partnership: data.partnership,
      agency: data.agency,
      description: data.description,
      tactic_category: data.tactic.category,
      tactic_name: data.tactic.name,
      due_by: utc(data.dueBy),
      due_by_revision: at.revision,
      reference: data.reference ?? null,
      status: 'unclaimed',
      claimed_by_user_id: null,
      claimed_by_name: null,
      decline_reason_code: null,
      decline_note: null,
      assigned_at: utc(data.assignedAt),
      discharged_at: null,
      result: null,
      discharge_note: null,
      cancel_reason: null,
      meeting_id: data.meetingId ?? null,
      escalations: 0,
      escalated_due_by_revision: null,
      reassignments: 0,
      interventions: 0,
      ...at,
    });
    return;
  }
  const row = batch.actions.get(id);
  if (!row) return; // the decider never appends to an action before ActionAssigned
  const next: ActionRow = { ...row, ...at };
  switch (event.type) {
    case 'ActionClaimed':
      next.claimed_by_user_id = event.data.by.userId;
      next.claimed_by_name = event.data.by.name;
      next.status = openStatus(next);
      break;
    case 'ActionDeclined':
      next.decline_reason_code = event.data.reasonCode;
      next.decline_note = event.data.note;
      next.status = openStatus(next);
      break;
    case 'ActionReleased':
      next.claimed_by_user_id = null;
      next.claimed_by_name = null;
      next.status = openStatus(next);
      break;
    case 'ActionReassigned':
      next.agency = event.data.toAgency;
      next.claimed_by_user_id = null;
      next.claimed_by_name = null;
      next.decline_reason_code = null;
      next.decline_note = null;
      next.reassignments = row.reassignments + 1;
      next.status = 'unclaimed';
      break;
    case 'InterventionRecorded':
      next.interventions = row.interventions + 1;
      batch.interventions.push({
        id: event.data.interventionId,
        action_id: id,
        problem_id: row.problem_id,
        partnership: row.partnership,
        agency: row.agency,
        tactic_category: event.data.tactic.category,
        tactic_name: event.data.tactic.name,
        description: event.data.description,
        occurred_at: utc(event.data.occurredAt),
        ...at,
      });
      break;
    case 'ActionDueDateChanged':
      next.due_by = utc(event.data.dueBy);
      next.due_by_revision = at.revision;
      break;
    case 'ActionEscalated':
      next.escalations = row.escalations + 1;
      next.escalated_due_by_revision = event.data.dueByRevision;
      break;
    case 'ActionDischarged':
      next.status = 'discharged';
      next.result = event.data.result;
      next.discharge_note = event.data.note;
      next.discharged_at = utc(event.data.dischargedAt);
      break;
    case 'ActionCancelled':
      next.status = 'cancelled';
      next.cancel_reason = event.data.reason;
      break;
    default:
      break;
  }
  batch.actions.put(id, next);
}
