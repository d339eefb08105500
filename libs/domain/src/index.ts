// Public entry of @tasking/domain: pure deciders, events, errors and vocabularies. No I/O.

export * from './categories';
export * from './errors';
export * from './decision';
export * from './event';
export * from './actor';
export * from './command-roles';
export * from './events';
export { isIsoDateTime, isLater, isAtOrAfter } from './validation';

export * from './problem/problem.events';
export * from './problem/problem.state';
export { decideProblem } from './problem/problem.decide';
export type {
  ProblemCommand,
  RaiseProblem,
  AmendProblem,
  PrioritiseProblem,
  AnalyseProblem,
  ReviewProblem,
  ReopenProblem,
  AddSubject,
  EraseSubject,
  ErasePersonalData,
} from './problem/problem.decide';
export * from './problem/reference';

export * from './action/action.events';
export * from './action/action.state';
export { decideAction } from './action/action.decide';
export type {
  ActionCommand,
  ClaimAction,
  DeclineAction,
  ReleaseAction,
  ReassignAction,
  RecordIntervention,
  ChangeActionDueDate,
  EscalateAction,
  DischargeAction,
  CancelAction,
} from './action/action.decide';

export * from './meeting/meeting.events';
export * from './meeting/meeting.state';
export { decideMeeting } from './meeting/meeting.decide';
export type { MeetingCommand, ScheduleMeeting, RecordAttendance, CloseMeeting } from './meeting/meeting.decide';

export * from './group/group.events';
export * from './group/group.state';
export { decideGroup } from './group/group.decide';
export type { GroupCommand, RegisterGroup, SetGroupSchedule, SetGroupMembers } from './group/group.decide';
export { MAX_EVERY_DAYS, MAX_GROUP_MEMBERS, nextMeetingDate } from './group/group.schedule';

export * from './agency/agency.events';
export * from './agency/agency.state';
export { decideAgency, isAcceptableWebhookUrl } from './agency/agency.decide';
export type { AgencyCommand, RegisterAgency, SetAgencyWebhook, DeactivateAgency } from './agency/agency.decide';

export * from './area/area.events';
export * from './area/area.state';
export { decideArea, isAreaBoundary, MAX_AREA_LSOAS, MAX_AREA_NEIGHBOURS } from './area/area.decide';
export type { AreaCommand, PutArea } from './area/area.decide';

export { assignAction } from './workflows/assign-action';
export type { AssignAction, AssignActionEvents } from './workflows/assign-action';
export { closeProblem } from './workflows/close-problem';
export type { CloseProblem, CloseProblemEvents } from './workflows/close-problem';
export { tableProblem } from './workflows/table-problem';
export type { TableProblem, TableProblemEvents } from './workflows/table-problem';

export { ERASED, PERSONAL_DATA_FIELDS, personalFieldsOf, retentionEndsAt } from './personal-data';
export type { PersonalDataKey, PersonalField } from './personal-data';
export {
  WORLD_YEARS_BACK,
  WORLD_MS_AHEAD,
  MEETING_YEARS_AHEAD,
  compareTime,
  dateIn,
  eventTimeOf,
  latestOf,
} from './times';

export * from './incident/incident.events';
export * from './incident/incident.state';
export { decideIncident } from './incident/incident.decide';
export type {
  IncidentCommand,
  RecordIncident,
  UpdateIncident,
  WithdrawIncident,
  LinkIncident,
  UnlinkIncident,
  MarkIncidentDuplicate,
  DismissIncident,
  EraseIncidentPersonalData,
} from './incident/incident.decide';
export { raiseFromIncidents, MAX_INCIDENTS_PER_RAISE } from './workflows/raise-from-incidents';
export type { RaiseFromIncidentsEvents } from './workflows/raise-from-incidents';
export * from './source/source.events';

export * from './source/source.state';
export { decideSource, MAX_CATEGORY_MAP_ENTRIES } from './source/source.decide';
export type { SourceCommand, PutSource } from './source/source.decide';

export * from './import/import.events';
export * from './open311/open311.status';
export * from './open311/open311-client.events';
export * from './open311/open311-client.state';
export { decideOpen311Client, OPEN311_ATTRIBUTE_NAME } from './open311/open311-client.decide';
export type { Open311ClientCommand, RegisterOpen311Client, RevokeOpen311Client } from './open311/open311-client.decide';
export * from './partnership/partnership.events';
export * from './partnership/partnership.state';
export { decidePartnership, JURISDICTION_ID, MAX_JURISDICTIONS } from './partnership/partnership.decide';
export type { PartnershipCommand, ChangePartnershipSettings, ChangeOpen311Service } from './partnership/partnership.decide';
