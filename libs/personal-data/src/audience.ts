import type { Principal } from '@tasking/auth';
import { ERASED, SUBJECT_ROLES, parseStreamName, type SubjectRole } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';

/**
 * Who may see a problem's subjects (domain.md, "Personal data"): the problem's own agencies (the
 * raising inspector's agency and every agency an action on it gives access: see
 * `agenciesGivenAccessByActions`) and the managers of its partnership. Within those agencies,
 * inspectors and officers (the people working the problem); an admin role alone grants nothing
 * (admins run the system, not cases).
 */
export interface SubjectAudience {
  partnership: string;
  raisedByAgency: string | null;
  actionAgencies: readonly string[];
}

export function maySeeSubjects(principal: Principal, audience: SubjectAudience): boolean {
  if (!principal.partnerships.includes(audience.partnership)) return false;
  if (principal.roles.includes('manager')) return true;
  if (!principal.roles.includes('inspector') && !principal.roles.includes('officer')) return false;
  return principal.agency === audience.raisedByAgency || audience.actionAgencies.includes(principal.agency);
}

const actorAgency = (event: RecordedEvent): string | undefined => {
  const actor = event.metadata['actor'] as { agency?: unknown } | undefined;
  return typeof actor?.agency === 'string' ? actor.agency : undefined;
};

/**
 * The agencies the problem's actions give access to its subjects, from the action streams' events
 * (any other event is skipped). An action gives its agency access while that agency holds it and
 * works it: from ActionAssigned (or ActionReassigned to it) until it is cancelled, declined or
 * reassigned away; a discharged action keeps it (the agency did the work, on the people named).
 * An assignment or reassignment made by someone of the receiving agency gives nothing: an agency
 * cannot widen its own access by assigning work to itself.
 */
export function agenciesGivenAccessByActions(events: readonly RecordedEvent[]): string[] {
  const actions = new Map<string, { agency: string; gives: boolean }>();
  const handedTo = (agency: string, event: RecordedEvent) => ({ agency, gives: actorAgency(event) !== agency });
  for (const event of events) {
    const stream = parseStreamName(event.stream);
    if (stream?.kind !== 'action') continue;
    const action = actions.get(stream.id);
    switch (event.type) {
      case 'ActionAssigned':
        actions.set(stream.id, handedTo(String(event.data['agency']), event));
        break;
      case 'ActionReassigned':
        actions.set(stream.id, handedTo(String(event.data['toAgency']), event));
        break;
      case 'ActionDeclined':
      case 'ActionCancelled':
        if (action) actions.set(stream.id, { ...action, gives: false });
        break;
      default:
        break;
    }
  }
  return [...new Set([...actions.values()].filter((a) => a.gives).map((a) => a.agency))];
}

/** The audience from a problem's history (its events and its actions', as `problemHistory` reads them). */
export function audienceFromHistory(events: readonly RecordedEvent[]): SubjectAudience | undefined {
  const raised = events.find((event) => event.type === 'ProblemRaised');
  if (!raised) return undefined;
  return {
    partnership: String(raised.data['partnership']),
    raisedByAgency: actorAgency(raised) ?? null,
    actionAgencies: agenciesGivenAccessByActions(events),
  };
}

/** A subject as the read model or an as-at fold holds it (column names). */
export interface SubjectRecord {
  id: string;
  role: string;
  name: string | null;
  date_of_birth: string | null;
  address: string | null;
  notes: string | null;
  added_at: string | Date;
  erased: boolean;
  erased_at: string | Date | null;
}

/** A read-model subject as the views take it. */
export const subjectRecord = (s: {
  id: string;
  role: string;
  name: string | null;
  dateOfBirth: string | null;
  address: string | null;
  notes: string | null;
  addedAt: Date;
  erased: boolean;
  erasedAt: Date | null;
}): SubjectRecord => ({
  id: s.id,
  role: s.role,
  name: s.name,
  date_of_birth: s.dateOfBirth,
  address: s.address,
  notes: s.notes,
  added_at: s.addedAt,
  erased: s.erased,
  erased_at: s.erasedAt,
});

const iso = (value: string | Date | null): string | null => (value === null ? null : new Date(value).toISOString());

/**
 * Subjects in a problem's detail. Everyone who may read the problem sees how many there are and
 * in which roles; only its audience sees `items` with the personal fields (null once erased).
 */
export function subjectsView(subjects: readonly SubjectRecord[], visible: boolean) {
  const live = subjects.filter((s) => !s.erased);
  const byRole = Object.fromEntries(SUBJECT_ROLES.map((role) => [role, live.filter((s) => s.role === role).length])) as Record<SubjectRole, number>;
  return {
    count: live.length,
    byRole,
    erased: subjects.length - live.length,
    visible,
    items: visible
      ? subjects.map((s) => ({
          subjectId: s.id,
          role: s.role,
          name: s.erased ? null : s.name,
          dateOfBirth: s.erased ? null : s.date_of_birth,
          address: s.erased ? null : s.address,
          notes: s.erased ? null : s.notes,
          addedAt: iso(s.added_at),
          erased: s.erased,
          erasedAt: iso(s.erased_at),
        }))
      : null,
  };
}

/** Subjects whose personal fields a view shows (not erased, with something to show). */
export const shownSubjectIds = (subjects: readonly SubjectRecord[]): string[] =>
  subjects.filter((s) => !s.erased && s.name !== null && s.name !== ERASED).map((s) => s.id);

/** History for a caller outside the audience: SubjectAdded keeps who was added in which role, nothing personal. */
export function redactSubjectEvent(event: { type: string; data: Record<string, unknown> }, visible: boolean): Record<string, unknown> {
  if (visible || event.type !== 'SubjectAdded') return event.data;
  const { subjectId, role, addedAt } = event.data;
  return { subjectId, role, addedAt, redacted: true };
}
