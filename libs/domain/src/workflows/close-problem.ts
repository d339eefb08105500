import type { ActionCancelled } from '../action/action.events';
import type { ActionState, ExistingAction } from '../action/action.state';
import type { Actor } from '../actor';
import { DISPLACEMENTS, OUTCOMES, type Displacement, type Outcome } from '../categories';
import { reject, type WorkflowDecision } from '../decision';
import type { IsoDateTime } from '../event';
import type { ProblemClosed } from '../problem/problem.events';
import type { ExistingProblem, ProblemState } from '../problem/problem.state';
import { problemAccess, requireOpenProblem } from '../problem/problem.decide';
import { checks, compact, requireNotBeforeLastEvent } from '../validation';

/** `POST /v1/problems/:id/close`. */
export type CloseProblem = {
  type: 'CloseProblem';
  actor: Actor;
  now: IsoDateTime;
  /** The zone of bare dates (TIME_ZONE; default UTC). */
  timeZone?: string;
  outcome: Outcome;
  assessment: string;
  displacement?: Displacement;
  diffusionOfBenefits?: boolean;
  /** Close although agreed actions are open: they are cancelled in the same append. Needs overrideReason. */
  override?: boolean;
  overrideReason?: string;
  /** Default `now`; not in the future, not before the problem's last event. */
  closedAt?: IsoDateTime;
};

/** The events of a closure, per stream: append all in one atomic append. */
export type CloseProblemEvents = {
  /** To `problem-<problemId>`. */
  problem: [ProblemClosed];
  /** To `action-<actionId>`, one entry per open action cancelled by an override (empty otherwise). */
  actions: Record<string, [ActionCancelled]>;
};

/**
 * Closes a problem with its outcome assessment. `actions` must hold the state of every action
 * agreed on the problem (`problem.agreedActions`); the handler reads their streams and uses their
 * revisions as the expected revisions of the cancellations.
 * Checks: problem visible (NOT_FOUND), inspector or manager (FORBIDDEN_ROLE), fields
 * (VALIDATION_FAILED), open (PROBLEM_CLOSED), closedAt not before the problem's last event
 * (TIME_BEFORE_LAST_EVENT), every agreed action discharged or cancelled
 * (ACTIONS_OUTSTANDING) unless override.
 * @throws Error when the state of an agreed action is missing from `actions` (a handler bug, not a refusal).
 */
export function closeProblem(input: { problem: ProblemState; actions: readonly ActionState[]; command: CloseProblem }): WorkflowDecision<CloseProblemEvents> {
  const { problem: state, actions, command } = input;
  const override = command.override === true;
  const refused =
    problemAccess(command, state, 'close problems') ??
    checks()
      .oneOf('outcome', command.outcome, OUTCOMES)
      .text('assessment', command.assessment)
      .oneOf('displacement', command.displacement, DISPLACEMENTS, { optional: true })
      .boolean('diffusionOfBenefits', command.diffusionOfBenefits, { optional: true })
      .boolean('override', command.override, { optional: true })
      .text('overrideReason', command.overrideReason, { optional: !override })
      .lifeTime('closedAt', command.closedAt, { optional: true, now: command.now, timeZone: command.timeZone })
      .refusal() ??
    (!override && command.overrideReason !== undefined
      ? reject('VALIDATION_FAILED', 'overrideReason is given only with override', [{ field: 'overrideReason', message: 'overrideReason needs override: true' }])
      : undefined) ??
    requireOpenProblem(state as ExistingProblem, 'close it again') ??
    requireNotBeforeLastEvent('closedAt', command.closedAt, (state as ExistingProblem).lastEventAt, 'problem', command.timeZone);
  if (refused) return refused;
  const problem = state as ExistingProblem;

  const byId = new Map<string, ExistingAction>();
  for (const action of actions) if (action.status !== 'none') byId.set(action.actionId, action);
  const open = problem.agreedActions.map(({ actionId }) => {
    const action = byId.get(actionId);
    if (action === undefined) throw new Error(`closeProblem: the state of action ${actionId} of problem ${problem.problemId} was not given`);
    return action;
  }).filter((action) => action.status === 'open');

  if (open.length > 0 && !override) {
    return reject(
      'ACTIONS_OUTSTANDING',
      `problem ${problem.problemId} has ${open.length} action${open.length > 1 ? 's' : ''} neither discharged nor cancelled (${open
        .map((a) => `${a.actionId} of ${a.agency}`)
        .join(', ')}): discharge or cancel them, or close with override and a reason`,
    );
  }

  const actionEvents: Record<string, [ActionCancelled]> = {};
  for (const action of open) {
    actionEvents[action.actionId] = [{ type: 'ActionCancelled', data: { reason: `problem closed with override: ${command.overrideReason ?? ''}` } }];
  }
  return {
    ok: true,
    events: {
      problem: [
        {
          type: 'ProblemClosed',
          data: compact({
            outcome: command.outcome,
            displacement: command.displacement,
            diffusionOfBenefits: command.diffusionOfBenefits,
            assessment: command.assessment,
            override: override ? true : undefined,
            overrideReason: override ? command.overrideReason : undefined,
            closedAt: command.closedAt ?? command.now,
          }),
        },
      ],
      actions: actionEvents,
    },
  };
}
