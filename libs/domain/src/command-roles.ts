import type { SystemActor } from './actor';
import type { Role } from './categories';

/**
 * Who may send each command: the one table of command roles. The deciders refuse anyone else
 * with FORBIDDEN_ROLE (`requireRole` in guards.ts); the API's route for the command takes its
 * roles guard and its OpenAPI note from the same row (`@CommandRoute`), and the command runner
 * records the first of them the caller holds as the actor's role. Order matters for that record.
 */
export const COMMAND_ROLES = {
  RaiseProblem: ['inspector'],
  AmendProblem: ['inspector'],
  PrioritiseProblem: ['inspector'],
  AnalyseProblem: ['inspector'],
  ReviewProblem: ['inspector'],
  ReopenProblem: ['inspector'],
  CloseProblem: ['inspector', 'manager'],
  AddSubject: ['inspector', 'officer'],
  EraseSubject: ['inspector', 'admin'],
  AssignAction: ['inspector'],
  ClaimAction: ['officer'],
  DeclineAction: ['officer'],
  ReleaseAction: ['inspector', 'officer'],
  ReassignAction: ['inspector'],
  RecordIntervention: ['officer'],
  ChangeActionDueDate: ['inspector'],
  DischargeAction: ['officer'],
  CancelAction: ['inspector'],
  ScheduleMeeting: ['inspector'],
  RecordAttendance: ['inspector'],
  CloseMeeting: ['inspector'],
  TableProblem: ['inspector'],
  RegisterGroup: ['admin'],
  SetGroupSchedule: ['admin', 'inspector'],
  SetGroupMembers: ['admin', 'inspector'],
  RegisterAgency: ['admin'],
  SetAgencyWebhook: ['admin'],
  DeactivateAgency: ['admin'],
  PutArea: ['admin'],

  // Incidents: a report taken by phone or at a counter; triage.
  RecordIncident: ['inspector', 'officer', 'manager'],
  LinkIncident: ['inspector'],
  UnlinkIncident: ['inspector'],
  MarkIncidentDuplicate: ['inspector'],
  DismissIncident: ['inspector'],
  // Sources of incidents
  PutSource: ['admin'],
  // Open311 clients and partnership settings.
  RegisterOpen311Client: ['admin'],
  RevokeOpen311Client: ['admin'],
  ChangePartnershipSettings: ['admin'],
  ChangeOpen311Service: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

/** A command a person sends (through its route). */
export type UserCommandType = keyof typeof COMMAND_ROLES;

/** Commands only the platform sends, each with the one system allowed to: they have no route. */
export const SYSTEM_COMMANDS = {
  EscalateAction: 'deadlines',
  ErasePersonalData: 'retention',

  // Incidents: imports update and withdraw what they recorded; retention erases.
  UpdateIncident: 'imports',
  WithdrawIncident: 'imports',
  EraseIncidentPersonalData: 'retention',
} as const satisfies Record<string, SystemActor['system']>;

export type SystemCommandType = keyof typeof SYSTEM_COMMANDS;

export type CommandType = UserCommandType | SystemCommandType;

/** The roles that may send a command; none for a system command. */
export const rolesOf = (type: CommandType): readonly Role[] => (type in COMMAND_ROLES ? COMMAND_ROLES[type as UserCommandType] : []);
