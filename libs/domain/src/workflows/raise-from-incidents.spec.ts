import type { IncidentEvent } from '../incident/incident.events';
import { evolveIncident, initialIncidentState, type IncidentState } from '../incident/incident.state';
import { decideProblem } from '../problem/problem.decide';
import { initialProblemState } from '../problem/problem.state';
import { INCIDENT_ID, OTHER_INCIDENT_ID, OTHER_PARTNERSHIP, PROBLEM_ID, councilOfficer, incidentRecorded, raiseProblemCommand } from '../testing/fixtures';
import { WorkflowSpecification } from '../testing/specification';
import { MAX_INCIDENTS_PER_RAISE, raiseFromIncidents } from './raise-from-incidents';

const incidentFrom = (...events: IncidentEvent[]): IncidentState => events.reduce(evolveIncident, initialIncidentState);

const first = incidentFrom(incidentRecorded());
const second = incidentFrom(incidentRecorded({ incidentId: OTHER_INCIDENT_ID, externalId: 'other', triage: false }));
const raise = raiseProblemCommand();
const raised = (() => {
  const decision = decideProblem(raise, initialProblemState);
  if (!decision.ok) throw new Error('the fixtures raise a problem');
  return decision.events;
})();
const linked: IncidentEvent = { type: 'IncidentLinked', data: { problemId: PROBLEM_ID } };

const given = WorkflowSpecification.for(raiseFromIncidents);

describe('raiseFromIncidents', () => {
  it('raises the problem and links every incident to it, each in its own stream', () => {
    given({ problem: initialProblemState, incidents: [first, second], incidentIds: [INCIDENT_ID, OTHER_INCIDENT_ID] })
      .when(raise)
      .then({ problem: raised, incidents: [{ incidentId: INCIDENT_ID, events: [linked] }, { incidentId: OTHER_INCIDENT_ID, events: [linked] }] });
  });

  it('raises alone without incidents', () => {
    given({ problem: initialProblemState, incidents: [], incidentIds: [] }).when(raise).then({ problem: raised, incidents: [] });
  });

  it("refuses with the raise's own refusal first", () => {
    given({ problem: initialProblemState, incidents: [first], incidentIds: [INCIDENT_ID] }).when({ ...raise, actor: councilOfficer }).thenFails('FORBIDDEN_ROLE');
  });

  it('refuses the whole raise when one incident is already triaged, naming it', () => {
    const error = given({ problem: initialProblemState, incidents: [second, incidentFrom(incidentRecorded(), { type: 'IncidentDismissed', data: { reasonCode: 'test' } })], incidentIds: [OTHER_INCIDENT_ID, INCIDENT_ID] })
      .when(raise)
      .thenFails('INCIDENT_ALREADY_TRIAGED');
    expect(error.message).toContain(INCIDENT_ID);
  });

  it('answers not found for an unknown incident or one of another partnership', () => {
    given({ problem: initialProblemState, incidents: [initialIncidentState], incidentIds: [INCIDENT_ID] }).when(raise).thenFails('NOT_FOUND');
    const elsewhere = incidentFrom(incidentRecorded({ partnership: OTHER_PARTNERSHIP }));
    given({ problem: initialProblemState, incidents: [elsewhere], incidentIds: [INCIDENT_ID] }).when({ ...raise, actor: { ...raise.actor, partnerships: [raise.partnership, OTHER_PARTNERSHIP] } }).thenFails('NOT_FOUND');
  });

  it('refuses a withdrawn incident', () => {
    const withdrawn = incidentFrom(incidentRecorded(), { type: 'IncidentWithdrawn', data: { reason: 'import-withdrawn', importId: 'imp-1' } });
    given({ problem: initialProblemState, incidents: [withdrawn], incidentIds: [INCIDENT_ID] }).when(raise).thenFails('INCIDENT_WITHDRAWN');
  });

  it('refuses an incident named twice, or more than the most one raise links', () => {
    given({ problem: initialProblemState, incidents: [first, first], incidentIds: [INCIDENT_ID, INCIDENT_ID] }).when(raise).thenFails('VALIDATION_FAILED');
    const many = Array.from({ length: MAX_INCIDENTS_PER_RAISE + 1 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    given({ problem: initialProblemState, incidents: many.map(() => first), incidentIds: many }).when(raise).thenFails('VALIDATION_FAILED');
  });
});
