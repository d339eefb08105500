import { decideAction, type ActionCommand } from './action/action.decide';
import { evolveAction, initialActionState } from './action/action.state';
import type { Actor, SystemActor } from './actor';
import { decideAgency, type AgencyCommand } from './agency/agency.decide';
import { initialAgencyState } from './agency/agency.state';
import { decideArea, type AreaCommand } from './area/area.decide';
import { initialAreaState } from './area/area.state';
import { decideSource, type SourceCommand } from './source/source.decide';
import { initialSourceState } from './source/source.state';
import { ROLES, type Role } from './categories';
import { COMMAND_ROLES, SYSTEM_COMMANDS, type CommandType, type SystemCommandType, type UserCommandType } from './command-roles';
import type { Decision } from './decision';
import { decideGroup, type GroupCommand } from './group/group.decide';
import { initialGroupState } from './group/group.state';
import { decideMeeting, type MeetingCommand } from './meeting/meeting.decide';
import { evolveMeeting, initialMeetingState } from './meeting/meeting.state';
import { decideProblem, type ProblemCommand } from './problem/problem.decide';
import { evolveProblem, initialProblemState } from './problem/problem.state';
import {
  actionAssigned,
  agencyState,
  areaState,
  groupState,
  incidentRecorded,
  meetingScheduled,
  NOW,
  OTHER_INCIDENT_ID,
  PARTNERSHIP,
  problemRaised,
  recordIncidentCommand,
} from './testing/fixtures';
import { assignAction, type AssignAction } from './workflows/assign-action';
import { closeProblem, type CloseProblem } from './workflows/close-problem';
import { tableProblem, type TableProblem } from './workflows/table-problem';
import { decideIncident, type IncidentCommand } from './incident/incident.decide';
import { evolveIncident, initialIncidentState } from './incident/incident.state';

/** Every command the domain decides. */
type DomainCommand =
  | ProblemCommand
  | ActionCommand
  | MeetingCommand
  | GroupCommand
  | AgencyCommand
  | AreaCommand
  | AssignAction
  | CloseProblem
  | TableProblem
  | IncidentCommand
  | SourceCommand
  // Open311 clients and partnership settings.
  | Open311ClientCommand
  | PartnershipCommand;
import { decideOpen311Client, type Open311ClientCommand } from './open311/open311-client.decide';
import { evolveOpen311Client, initialOpen311ClientState } from './open311/open311-client.state';
import { decidePartnership, type PartnershipCommand } from './partnership/partnership.decide';
import { initialPartnershipState } from './partnership/partnership.state';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Does not compile when a command has no row in COMMAND_ROLES or SYSTEM_COMMANDS, or a row names no command. */
const everyCommandHasARow: Same<DomainCommand['type'], CommandType> = true;

const problem = evolveProblem(initialProblemState, problemRaised());
const action = evolveAction(initialActionState, actionAssigned());
const meeting = evolveMeeting(initialMeetingState, meetingScheduled());
const incident = evolveIncident(initialIncidentState, { ...incidentRecorded(), recordedAt: '2020-01-01T00:00:00Z' });
const otherIncident = evolveIncident(initialIncidentState, incidentRecorded({ incidentId: OTHER_INCIDENT_ID }));
const open311Client = evolveOpen311Client(initialOpen311ClientState, {
  type: 'Open311ClientRegistered',
  data: { clientId: 'c-1', partnership: PARTNERSHIP, name: 'FixMyStreet', keyPrefix: 'abcd1234', keyHash: 'f'.repeat(64) },
});
const outcome = (decision: Decision<unknown> | { ok: boolean; error?: { code: string } }): string => (decision.ok ? 'accepted' : (decision.error?.code ?? ''));

/**
 * Each command as its decider receives it from an actor, against a state the actor can see, with
 * just enough fields for the role check to be reached (later rules may still refuse).
 */
const send: Record<UserCommandType, (actor: Actor) => string> = {
  RaiseProblem: (actor) =>
    outcome(decideProblem({ type: 'RaiseProblem', actor, now: NOW, problemId: 'p-new', partnership: PARTNERSHIP, title: 't', description: 'd', category: 'noise', location: { areaCode: 'enfield-town' }, area: areaState() }, initialProblemState)),
  AmendProblem: (actor) => outcome(decideProblem({ type: 'AmendProblem', actor, now: NOW, title: 'New title' }, problem)),
  PrioritiseProblem: (actor) => outcome(decideProblem({ type: 'PrioritiseProblem', actor, now: NOW, priority: 'high', rationale: 'r' }, problem)),
  AnalyseProblem: (actor) => outcome(decideProblem({ type: 'AnalyseProblem', actor, now: NOW, victim: 'v' }, problem)),
  ReviewProblem: (actor) => outcome(decideProblem({ type: 'ReviewProblem', actor, now: NOW, rag: 'red', note: 'n' }, problem)),
  ReopenProblem: (actor) => outcome(decideProblem({ type: 'ReopenProblem', actor, now: NOW, reason: 'r' }, problem)),
  CloseProblem: (actor) => outcome(closeProblem({ problem, actions: [], command: { type: 'CloseProblem', actor, now: NOW, outcome: 'reduced', assessment: 'a' } })),
  AddSubject: (actor) => outcome(decideProblem({ type: 'AddSubject', actor, now: NOW, subjectId: 's-1', role: 'witness', name: 'n', actionAgencies: [actor.agency] }, problem)),
  EraseSubject: (actor) => outcome(decideProblem({ type: 'EraseSubject', actor, now: NOW, subjectId: 's-1', reason: 'r' }, problem)),
  AssignAction: (actor) =>
    outcome(assignAction({ problem, agency: agencyState(), command: { type: 'AssignAction', actor, now: NOW, actionId: 'a-new', agency: 'COUNCIL-ASB', description: 'd', tactic: { category: 'prevention', name: 'CCTV' }, dueBy: '2025-04-01T17:00:00Z' } })),
  ClaimAction: (actor) => outcome(decideAction({ type: 'ClaimAction', actor, now: NOW }, action)),
  DeclineAction: (actor) => outcome(decideAction({ type: 'DeclineAction', actor, now: NOW, reasonCode: 'no-capacity', note: '' }, action)),
  ReleaseAction: (actor) => outcome(decideAction({ type: 'ReleaseAction', actor, now: NOW, reason: 'r' }, action)),
  ReassignAction: (actor) => outcome(decideAction({ type: 'ReassignAction', actor, now: NOW, agency: 'FIRE', reason: 'r', newAgency: agencyState('FIRE') }, action)),
  RecordIntervention: (actor) =>
    outcome(decideAction({ type: 'RecordIntervention', actor, now: NOW, interventionId: 'i-1', tactic: { category: 'prevention', name: 'CCTV' }, description: 'd' }, action)),
  ChangeActionDueDate: (actor) => outcome(decideAction({ type: 'ChangeActionDueDate', actor, now: NOW, dueBy: '2025-04-01T17:00:00Z', reason: 'r' }, action)),
  DischargeAction: (actor) => outcome(decideAction({ type: 'DischargeAction', actor, now: NOW, result: 'completed', note: '' }, action)),
  CancelAction: (actor) => outcome(decideAction({ type: 'CancelAction', actor, now: NOW, reason: 'r' }, action)),
  ScheduleMeeting: (actor) =>
    outcome(decideMeeting({ type: 'ScheduleMeeting', actor, now: NOW, meetingId: 'm-new', partnership: PARTNERSHIP, groupCode: 'enfield-safe', heldOn: '2025-03-12', chair: 'c', group: groupState() }, initialMeetingState)),
  RecordAttendance: (actor) => outcome(decideMeeting({ type: 'RecordAttendance', actor, now: NOW, attendees: [{ name: 'n', agency: 'POLICE' }] }, meeting)),
  CloseMeeting: (actor) => outcome(decideMeeting({ type: 'CloseMeeting', actor, now: NOW, minutesNote: '' }, meeting)),
  TableProblem: (actor) => outcome(tableProblem({ problem, meeting, command: { type: 'TableProblem', actor, now: NOW } })),
  RegisterGroup: (actor) =>
    outcome(decideGroup({ type: 'RegisterGroup', actor, now: NOW, code: 'new-group', partnership: PARTNERSHIP, name: 'n', areaCodes: [], areas: {} }, initialGroupState)),
  SetGroupSchedule: (actor) => outcome(decideGroup({ type: 'SetGroupSchedule', actor, now: NOW, from: '2025-03-12' }, groupState())),
  SetGroupMembers: (actor) => outcome(decideGroup({ type: 'SetGroupMembers', actor, now: NOW, members: [{ name: 'n', agency: 'POLICE' }] }, groupState())),
  RegisterAgency: (actor) => outcome(decideAgency({ type: 'RegisterAgency', actor, now: NOW, code: 'NEW', name: 'n', kind: 'other' }, initialAgencyState)),
  SetAgencyWebhook: (actor) => outcome(decideAgency({ type: 'SetAgencyWebhook', actor, now: NOW, url: 'https://example.org/hook', partnership: PARTNERSHIP }, agencyState())),
  DeactivateAgency: (actor) => outcome(decideAgency({ type: 'DeactivateAgency', actor, now: NOW, reason: 'r', servedPartnerships: [PARTNERSHIP] }, agencyState())),
  PutArea: (actor) => outcome(decideArea({ type: 'PutArea', actor, now: NOW, code: 'new-area', name: 'n', partnership: PARTNERSHIP, centroid: { lat: 51.6, lng: -0.1 } }, initialAreaState)),

  RecordIncident: (actor) => outcome(decideIncident(recordIncidentCommand({ actor }), initialIncidentState)),
  LinkIncident: (actor) => outcome(decideIncident({ type: 'LinkIncident', actor, now: NOW, problemId: problem.status === 'none' ? '' : problem.problemId, problem }, incident)),
  UnlinkIncident: (actor) =>
    outcome(decideIncident({ type: 'UnlinkIncident', actor, now: NOW, reason: 'r' }, evolveIncident(incident, { type: 'IncidentLinked', data: { problemId: 'p' } }))),
  MarkIncidentDuplicate: (actor) => outcome(decideIncident({ type: 'MarkIncidentDuplicate', actor, now: NOW, of: OTHER_INCIDENT_ID, original: otherIncident }, incident)),
  DismissIncident: (actor) => outcome(decideIncident({ type: 'DismissIncident', actor, now: NOW, reasonCode: 'test' }, incident)),
  PutSource: (actor) => outcome(decideSource({ type: 'PutSource', actor, now: NOW, code: 'police', partnership: PARTNERSHIP, name: 'n', kind: 'police' }, initialSourceState)),
  // Open311 clients and partnership settings.
  RegisterOpen311Client: (actor) =>
    outcome(
      decideOpen311Client(
        { type: 'RegisterOpen311Client', actor, now: NOW, clientId: 'c-2', partnership: PARTNERSHIP, name: 'n', keyPrefix: 'abcd1234', keyHash: 'f'.repeat(64) },
        initialOpen311ClientState,
      ),
    ),
  RevokeOpen311Client: (actor) => outcome(decideOpen311Client({ type: 'RevokeOpen311Client', actor, now: NOW }, open311Client)),
  ChangePartnershipSettings: (actor) =>
    outcome(decidePartnership({ type: 'ChangePartnershipSettings', actor, now: NOW, partnership: PARTNERSHIP, publicDescriptions: true }, initialPartnershipState)),
  ChangeOpen311Service: (actor) =>
    outcome(decidePartnership({ type: 'ChangeOpen311Service', actor, now: NOW, partnership: PARTNERSHIP, category: 'noise', reportable: false }, initialPartnershipState)),
};

const sendAsSystem: Record<SystemCommandType, (actor: Actor | SystemActor) => string> = {
  EscalateAction: (actor) => outcome(decideAction({ type: 'EscalateAction', actor: actor as SystemActor, now: NOW }, action)),
  ErasePersonalData: (actor) => outcome(decideProblem({ type: 'ErasePersonalData', actor: actor as SystemActor, now: NOW, retentionYears: 6 }, problem)),

  UpdateIncident: (actor) =>
    outcome(decideIncident({ type: 'UpdateIncident', actor: actor as SystemActor, now: NOW, contentHash: 'b'.repeat(64), sourceUpdatedAt: NOW }, incident)),
  WithdrawIncident: (actor) =>
    outcome(decideIncident({ type: 'WithdrawIncident', actor: actor as SystemActor, now: NOW, reason: 'import-withdrawn', importId: 'imp-1' }, incident)),
  EraseIncidentPersonalData: (actor) =>
    outcome(decideIncident({ type: 'EraseIncidentPersonalData', actor: actor as SystemActor, now: NOW, retentionYears: 2 }, incident)),
};

/** One person of the partnership holding only `role`, of the agency the sample action is assigned to. */
const holding = (role: Role): Actor => ({ userId: `u-${role}`, name: `A ${role}`, agency: 'COUNCIL-ASB', roles: [role], partnerships: [PARTNERSHIP] });

describe('COMMAND_ROLES, the one table of who may send each command', () => {
  it('has a row for every command the domain decides, a person\'s or a system\'s, and no other', () => {
    expect(everyCommandHasARow).toBe(true);
    expect(Object.keys(COMMAND_ROLES).filter((type) => type in SYSTEM_COMMANDS)).toEqual([]);
  });

  describe.each(Object.keys(COMMAND_ROLES) as UserCommandType[])('%s', (type) => {
    const allowed: readonly Role[] = COMMAND_ROLES[type];
    it.each([...ROLES])('the decider refuses the role %s (FORBIDDEN_ROLE) exactly when the row does not list it', (role) => {
      const refusedForRole = send[type](holding(role)) === 'FORBIDDEN_ROLE';
      expect({ role, refusedForRole }).toEqual({ role, refusedForRole: !allowed.includes(role) });
    });
  });

  describe.each(Object.keys(SYSTEM_COMMANDS) as SystemCommandType[])('%s (system only)', (type) => {
    it('is accepted from its own system and refused with FORBIDDEN_ROLE from another system or any person', () => {
      const own: SystemActor = { system: SYSTEM_COMMANDS[type] };
      const other: SystemActor = { system: SYSTEM_COMMANDS[type] === 'deadlines' ? 'retention' : 'deadlines' };
      expect(sendAsSystem[type](own)).not.toBe('FORBIDDEN_ROLE');
      expect(sendAsSystem[type](other)).toBe('FORBIDDEN_ROLE');
      for (const role of ROLES) expect(sendAsSystem[type](holding(role))).toBe('FORBIDDEN_ROLE');
    });
  });
});
