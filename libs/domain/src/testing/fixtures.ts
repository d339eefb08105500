/** Actors, states and events shared by the specs. */
import type { ActionAssigned } from '../action/action.events';
import type { Actor } from '../actor';
import type { AgencyRegistered } from '../agency/agency.events';
import { evolveAgency, initialAgencyState, type AgencyState } from '../agency/agency.state';
import type { AreaRegistered } from '../area/area.events';
import { evolveArea, initialAreaState, type AreaState } from '../area/area.state';
import type { TaskingGroupRegistered } from '../group/group.events';
import { evolveGroup, initialGroupState, type GroupState } from '../group/group.state';
import type { IncidentRecorded } from '../incident/incident.events';
import type { RecordIncident } from '../incident/incident.decide';
import type { MeetingScheduled } from '../meeting/meeting.events';
import type { ProblemRaised } from '../problem/problem.events';
import type { RaiseProblem } from '../problem/problem.decide';
import type { AssignAction } from '../workflows/assign-action';

export const NOW = '2025-03-10T10:00:00Z';
export const LATER = '2025-03-20T10:00:00Z';
export const PARTNERSHIP = 'enfield';
export const OTHER_PARTNERSHIP = 'haringey';

export const PROBLEM_ID = '6f1c1f8e-2a4b-4c53-9b1e-0c2f2e1b7a01';
export const ACTION_ID = '1b7e4a0c-5d8f-4e2a-8c3b-9f6d2e1a4b02';
export const MEETING_ID = '9a2d3c4b-1e0f-4a5b-8c7d-6e5f4a3b2c03';

const user = (userId: string, name: string, agency: string, roles: Actor['roles'], partnerships = [PARTNERSHIP]): Actor => ({
  userId,
  name,
  agency,
  roles,
  partnerships,
});

export const inspector = user('u-inspector', 'Insp Jane Hart', 'POLICE', ['inspector']);
export const manager = user('u-manager', 'Priya Shah', 'COUNCIL-ASB', ['manager']);
export const admin = user('u-admin', 'Alex Admin', 'POLICE', ['admin']);
/** An officer of COUNCIL-ASB, the agency the sample action is assigned to. */
export const councilOfficer = user('u-council-1', 'Sam Patel', 'COUNCIL-ASB', ['officer']);
export const councilColleague = user('u-council-2', 'Chris Okafor', 'COUNCIL-ASB', ['officer']);
export const fireOfficer = user('u-fire-1', 'Lee Burns', 'FIRE', ['officer']);
/** An inspector of another partnership only. */
export const outsideInspector = user('u-outsider', 'Insp Tom Reed', 'POLICE', ['inspector'], [OTHER_PARTNERSHIP]);
export const outsideOfficer = user('u-outsider-officer', 'Jo Vance', 'COUNCIL-ASB', ['officer'], [OTHER_PARTNERSHIP]);

export const areaRegistered = (code = 'enfield-town', partnership = PARTNERSHIP): AreaRegistered => ({
  type: 'AreaRegistered',
  data: { code, name: `Area ${code}`, partnership, centroid: { lat: 51.652, lng: -0.081 } },
});
export const areaState = (code = 'enfield-town', partnership = PARTNERSHIP): AreaState => evolveArea(initialAreaState, areaRegistered(code, partnership));

export const groupRegistered = (code = 'enfield-safe', partnership = PARTNERSHIP): TaskingGroupRegistered => ({
  type: 'TaskingGroupRegistered',
  data: { code, partnership, name: 'Enfield SAFE', areaCodes: ['enfield-town'] },
});
export const groupState = (code = 'enfield-safe', partnership = PARTNERSHIP): GroupState =>
  evolveGroup(initialGroupState, groupRegistered(code, partnership));

export const agencyRegistered = (code = 'COUNCIL-ASB'): AgencyRegistered => ({
  type: 'AgencyRegistered',
  data: { code, name: `Agency ${code}`, kind: 'local-authority' },
});
export const agencyState = (code = 'COUNCIL-ASB', active = true): AgencyState => {
  const registered = evolveAgency(initialAgencyState, agencyRegistered(code));
  return active ? registered : evolveAgency(registered, { type: 'AgencyDeactivated', data: { reason: 'merged' } });
};

export const problemRaised = (overrides: Partial<ProblemRaised['data']> = {}): ProblemRaised => ({
  type: 'ProblemRaised',
  data: {
    problemId: PROBLEM_ID,
    partnership: PARTNERSHIP,
    title: 'Youth disorder at Church Street parade',
    description: 'Groups gathering outside the shops after 9pm, damage to shutters',
    category: 'asb-youth',
    location: { areaCode: 'enfield-town', lat: 51.652, lng: -0.081 },
    source: 'tasking-meeting',
    raisedAt: '2025-03-01T09:00:00Z',
    ...overrides,
  },
});

export const actionAssigned = (overrides: Partial<ActionAssigned['data']> = {}): ActionAssigned => ({
  type: 'ActionAssigned',
  data: {
    actionId: ACTION_ID,
    problemId: PROBLEM_ID,
    partnership: PARTNERSHIP,
    agency: 'COUNCIL-ASB',
    description: 'Install temporary CCTV covering the parade',
    tactic: { category: 'prevention', name: 'CCTV' },
    dueBy: '2025-03-15T17:00:00Z',
    assignedAt: '2025-03-02T10:00:00Z',
    ...overrides,
  },
});

export const meetingScheduled = (overrides: Partial<MeetingScheduled['data']> = {}): MeetingScheduled => ({
  type: 'MeetingScheduled',
  data: {
    meetingId: MEETING_ID,
    partnership: PARTNERSHIP,
    groupCode: 'enfield-safe',
    heldOn: '2025-03-05',
    chair: 'Insp Jane Hart',
    ...overrides,
  },
});

/** The fixtures' problem raised by the inspector: the command (`problemRaised` is its event). */
export const raiseProblemCommand = (overrides: Partial<RaiseProblem> = {}): RaiseProblem => {
  const { source: _source, ...raised } = problemRaised().data;
  return { type: 'RaiseProblem', actor: inspector, now: NOW, ...raised, area: areaState(), ...overrides };
};

/** The inspector assigning the fixtures' action to the council's ASB team. */
export const assignActionCommand = (overrides: Partial<AssignAction> = {}): AssignAction => ({
  type: 'AssignAction',
  actor: inspector,
  now: NOW,
  actionId: ACTION_ID,
  agency: 'COUNCIL-ASB',
  description: 'Install temporary CCTV covering the parade',
  tactic: { category: 'prevention', name: 'cctv' },
  dueBy: '2025-03-15T17:00:00Z',
  assignedAt: '2025-03-02T10:00:00Z',
  ...overrides,
});

// Incidents: a resident's report taken at a counter, in the fixtures' partnership and area.
export const INCIDENT_ID = '4c2e8b1a-7d3f-5e60-9a1b-2c3d4e5f6a04';
export const OTHER_INCIDENT_ID = '8d1f2a3b-4c5d-5e6f-8a7b-9c0d1e2f3a05';

export const incidentRecorded = (overrides: Partial<IncidentRecorded['data']> = {}): IncidentRecorded => ({
  type: 'IncidentRecorded',
  data: {
    incidentId: INCIDENT_ID,
    partnership: PARTNERSHIP,
    source: 'console',
    externalId: '0b9e6c2d-1a4f-4e3b-8c5d-7f6e5d4c3b06',
    category: 'fly-tipping',
    sourceCategory: 'fly-tipping',
    occurredAt: '2025-03-09T18:30:00Z',
    occurredPrecision: 'exact',
    location: { lat: 51.652, lng: -0.081, areaCode: 'enfield-town', address: '12 Church Street' },
    unmapped: false,
    description: 'Mattresses dumped by the bins',
    reporter: { name: 'A Resident', phone: '020 7946 0000' },
    channel: 'console',
    triage: true,
    contentHash: 'a'.repeat(64),
    ...overrides,
  },
});

/** The counter report as the inspector records it (`incidentRecorded` is its event). */
export const recordIncidentCommand = (overrides: Partial<RecordIncident> = {}): RecordIncident =>
  ({ type: 'RecordIncident', actor: inspector, now: NOW, sourceKnown: true, ...incidentRecorded().data, ...overrides }) as RecordIncident;
