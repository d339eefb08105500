import { HttpCode, Post, Put, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Roles } from '@tasking/auth';
import { COMMAND_ROLES, type UserCommandType } from '@tasking/domain';

/** Where each command is sent: method, path and the status of its success (docs/api.md, Commands). */
export const COMMAND_HTTP: Record<UserCommandType, readonly ['POST' | 'PUT', string, 200 | 201]> = {
  AddSubject: ['POST', 'v1/problems/:id/subjects', 201],
  AmendProblem: ['POST', 'v1/problems/:id/amend', 200],
  AnalyseProblem: ['POST', 'v1/problems/:id/analysis', 200],
  AssignAction: ['POST', 'v1/problems/:id/actions', 201],
  CancelAction: ['POST', 'v1/actions/:id/cancel', 200],
  ChangeActionDueDate: ['POST', 'v1/actions/:id/due-date', 200],
  ClaimAction: ['POST', 'v1/actions/:id/claim', 200],
  CloseMeeting: ['POST', 'v1/meetings/:id/close', 200],
  CloseProblem: ['POST', 'v1/problems/:id/close', 200],
  DeactivateAgency: ['POST', 'v1/agencies/:code/deactivate', 200],
  DeclineAction: ['POST', 'v1/actions/:id/decline', 200],
  DischargeAction: ['POST', 'v1/actions/:id/discharge', 200],
  EraseSubject: ['POST', 'v1/problems/:id/subjects/:subjectId/erase', 200],
  PrioritiseProblem: ['POST', 'v1/problems/:id/prioritise', 200],
  PutArea: ['PUT', 'v1/areas/:code', 200],
  RaiseProblem: ['POST', 'v1/problems', 201],
  ReassignAction: ['POST', 'v1/actions/:id/reassign', 200],
  RecordAttendance: ['POST', 'v1/meetings/:id/attendance', 200],
  RecordIntervention: ['POST', 'v1/actions/:id/interventions', 201],
  RegisterAgency: ['POST', 'v1/agencies', 201],
  RegisterGroup: ['POST', 'v1/groups', 201],
  ReleaseAction: ['POST', 'v1/actions/:id/release', 200],
  ReopenProblem: ['POST', 'v1/problems/:id/reopen', 200],
  ReviewProblem: ['POST', 'v1/problems/:id/reviews', 201],
  ScheduleMeeting: ['POST', 'v1/meetings', 201],
  SetAgencyWebhook: ['PUT', 'v1/agencies/:code/webhook', 200],
  SetGroupMembers: ['PUT', 'v1/groups/:code/members', 200],
  SetGroupSchedule: ['PUT', 'v1/groups/:code/schedule', 200],
  TableProblem: ['POST', 'v1/meetings/:id/problems', 200],

  // Incidents
  RecordIncident: ['POST', 'v1/incidents', 201],
  LinkIncident: ['POST', 'v1/incidents/:id/link', 200],
  UnlinkIncident: ['POST', 'v1/incidents/:id/unlink', 200],
  MarkIncidentDuplicate: ['POST', 'v1/incidents/:id/duplicate', 200],
  DismissIncident: ['POST', 'v1/incidents/:id/dismiss', 200],
  // Sources of incidents
  PutSource: ['PUT', 'v1/sources/:code', 200],
  // Open311 clients and partnership settings.
  RegisterOpen311Client: ['POST', 'v1/open311/clients', 201],
  RevokeOpen311Client: ['POST', 'v1/open311/clients/:id/revoke', 200],
  ChangePartnershipSettings: ['PUT', 'v1/partnerships/:code/settings', 200],
  ChangeOpen311Service: ['PUT', 'v1/open311/services/:category', 200],
};

/**
 * The route of a domain command: its method, path and success status from its row of COMMAND_HTTP;
 * its roles guard and its OpenAPI note (`x-command`, `x-roles`) from its row of COMMAND_ROLES, the
 * table the decider checks, so the three agree. The controller class carries no path of its own.
 */
export const CommandRoute = (type: UserCommandType): MethodDecorator => {
  const [method, path, status] = COMMAND_HTTP[type];
  const roles = COMMAND_ROLES[type];
  return applyDecorators((method === 'POST' ? Post : Put)(path), HttpCode(status), Roles(...roles), ApiExtension('x-command', type), ApiExtension('x-roles', [...roles]));
};
