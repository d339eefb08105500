import { reject, type WorkflowDecision } from '../decision';
import type { IncidentEvent } from '../incident/incident.events';
import { decideIncident } from '../incident/incident.decide';
import type { IncidentState } from '../incident/incident.state';
import type { ProblemEvent } from '../problem/problem.events';
import { decideProblem, type RaiseProblem } from '../problem/problem.decide';
import { evolveProblem, type ProblemState } from '../problem/problem.state';

/** At most this many incidents are linked by one raise. */
export const MAX_INCIDENTS_PER_RAISE = 100;

/** The events of a raise from incidents, per stream: append them all in one atomic append. */
export type RaiseFromIncidentsEvents = {
  /** To `problem-<problemId>`. */
  problem: ProblemEvent[];
  /** To `incident-<incidentId>` each (expected revision: the incident's as read), in the order given. */
  incidents: { incidentId: string; events: IncidentEvent[] }[];
};

/**
 * `POST /v1/problems` with `incidentIds`: raises the problem and links each incident to it, so the
 * problem never exists without the links asked for, nor a link without its problem. The raise
 * decides first (its own refusals), then each link as LinkIncident decides it against the problem
 * as raised: incident visible (NOT_FOUND), not withdrawn (INCIDENT_WITHDRAWN), not already
 * triaged (INCIDENT_ALREADY_TRIAGED), of the problem's partnership (NOT_FOUND). `incidents` are
 * the states of `incidentIds`, in the same order.
 */
export function raiseFromIncidents(input: {
  problem: ProblemState;
  incidents: readonly IncidentState[];
  incidentIds: readonly string[];
  command: RaiseProblem;
}): WorkflowDecision<RaiseFromIncidentsEvents> {
  const { command, incidentIds, incidents } = input;
  if (incidentIds.length > MAX_INCIDENTS_PER_RAISE || new Set(incidentIds).size !== incidentIds.length || incidents.length !== incidentIds.length) {
    const message = `incidentIds must name at most ${MAX_INCIDENTS_PER_RAISE} different incidents`;
    return reject('VALIDATION_FAILED', message, [{ field: 'incidentIds', message }]);
  }
  const raised = decideProblem(command, input.problem);
  if (!raised.ok) return raised;
  const problem = raised.events.reduce(evolveProblem, input.problem);
  const linked: RaiseFromIncidentsEvents['incidents'] = [];
  for (const [i, incidentId] of incidentIds.entries()) {
    const link = decideIncident({ type: 'LinkIncident', actor: command.actor, now: command.now, problemId: command.problemId, problem }, incidents[i]!);
    if (!link.ok) return { ok: false, error: { ...link.error, message: `incident ${incidentId}: ${link.error.message}` } };
    linked.push({ incidentId, events: link.events });
  }
  return { ok: true, events: { problem: raised.events, incidents: linked } };
}
