/**
 * Which fields of which events are personal data, and under whose key the store encrypts them
 * (crypto-shredding: domain.md, "Personal data").
 *
 * - `subject`: the fields of one named person, under a key of that subject's own (erased when the
 *   subject is erased, or with the problem at the end of retention).
 * - `problem`: free text about a problem and its actions (descriptions, notes, reasons, the
 *   address), under one key per problem (erased at the end of retention).
 * - `incident`: what a reporter said and who they are (description, address, reporter, Open311
 *   attributes), under one key per incident, with its own retention (evidence.md, "Incidents").
 *
 * A path names a string field: `a.b` is a nested field, `a[]` every string of an array. The
 * record is keyed by every event type, so a new event cannot be added without deciding this.
 * Deciders and projectors never see ciphertext: the store encrypts on append and decrypts on
 * read; a field whose key was erased reads as ERASED. The store opens fields only at these paths:
 * a path may be added, never taken out (events already written keep their ciphertext there).
 */
import type { DomainEventType } from './events';
import type { IsoDateTime } from './event';

export type PersonalDataKey = 'problem' | 'subject' | 'incident';

export interface PersonalField {
  path: string;
  key: PersonalDataKey;
}

/** What a field whose key was destroyed reads as, in the log and in every read model. */
export const ERASED = '[erased]';

const problemText = (...paths: string[]): PersonalField[] => paths.map((path) => ({ path, key: 'problem' }));
const incidentText = (...paths: string[]): PersonalField[] => paths.map((path) => ({ path, key: 'incident' }));

export const PERSONAL_DATA_FIELDS: Readonly<Record<DomainEventType, readonly PersonalField[]>> = {
  ProblemRaised: problemText('title', 'description', 'location.address'),
  ProblemAmended: problemText('title', 'description', 'location.address'),
  ProblemPrioritised: problemText('rationale'),
  ProblemAnalysed: problemText('victim', 'offender', 'location', 'hypotheses[]'),
  ProblemTabled: [],
  ProblemReviewed: problemText('note'),
  ActionAgreed: [],
  ProblemClosed: problemText('assessment', 'overrideReason'),
  ProblemReopened: problemText('reason'),
  SubjectAdded: [
    { path: 'name', key: 'subject' },
    { path: 'dateOfBirth', key: 'subject' },
    { path: 'address', key: 'subject' },
    { path: 'notes', key: 'subject' },
  ],
  SubjectErased: problemText('reason'),
  ProblemPersonalDataErased: [],

  ActionAssigned: problemText('description'),
  ActionClaimed: [],
  ActionDeclined: problemText('note'),
  ActionReleased: problemText('reason'),
  ActionReassigned: problemText('reason'),
  InterventionRecorded: problemText('description'),
  ActionDueDateChanged: problemText('reason'),
  ActionEscalated: [],
  ActionDischarged: problemText('note'),
  ActionCancelled: problemText('reason'),

  // Meetings, groups, agencies and areas are not about a problem: no problem key covers them.
  // Their text names staff (chairs, attendees, members) and places, not the people problems are about.
  MeetingScheduled: [],
  MeetingAttendanceRecorded: [],
  MeetingClosed: [],
  TaskingGroupRegistered: [],
  GroupScheduleSet: [],
  GroupMembersSet: [],
  AgencyRegistered: [],
  AgencyWebhookSet: [],
  AgencyDeactivated: [],
  AreaRegistered: [],
  AreaUpdated: [],
  SourceRegistered: [],
  SourceUpdated: [],

  IncidentRecorded: incidentText('description', 'location.address', 'reporter.name', 'reporter.email', 'reporter.phone', 'attributes[].value'),
  IncidentUpdated: incidentText('description', 'location.address'),
  IncidentWithdrawn: [],
  IncidentLinked: [],
  IncidentUnlinked: incidentText('reason'),
  IncidentMarkedDuplicate: [],
  IncidentDismissed: incidentText('note'),
  IncidentPersonalDataErased: [],

  ImportStarted: [],
  ImportCompleted: [],
  ImportFailed: [],
  ImportWithdrawn: [],
  // Open311 clients and partnership settings: names of applications and settings, nothing personal.
  Open311ClientRegistered: [],
  Open311ClientRevoked: [],
  PartnershipSettingsChanged: [],
  Open311ServiceChanged: [],
};

/** The personal fields of an event type (none for a type this version does not know). */
export const personalFieldsOf = (type: string): readonly PersonalField[] =>
  (PERSONAL_DATA_FIELDS as Readonly<Record<string, readonly PersonalField[] | undefined>>)[type] ?? [];

/** When a closure's retention period ends: `years` calendar years after it (UTC). */
export function retentionEndsAt(closedAt: IsoDateTime, years: number): IsoDateTime {
  const end = new Date(Date.parse(closedAt));
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return end.toISOString();
}
