import { DEADLINES_ACTOR, decideAction, evolveAction, initialActionState, streamName } from '@tasking/domain';
import { ApiError } from '@tasking/shared';
import { planOf, type SystemCommands } from '@tasking/application';
import type { Escalator, EscalationOutcome } from './deadline.processor';

/**
 * The deadlines job's write: EscalateAction decided by the action decider and appended through
 * the runtime's system commands (the command runner) with a SystemContext, so the event carries
 * `{system: 'deadlines'}` as its actor and conflicts are retried like any command's. A job for a due date that was changed
 * since (another revision set the current one) does nothing: the newer job owns it.
 */
export function commandEscalator(commands: SystemCommands): Escalator {
  return {
    async escalate({ actionId, dueByRevision, now, correlationId }) {
      const stream = streamName('action', actionId);
      let outcome: EscalationOutcome = 'not-found';
      let dueBy: string | undefined;
      try {
        await commands.run({ system: DEADLINES_ACTOR.system, now, correlationId }, { name: 'EscalateAction' }, async (reader) => {
          const action = await reader.load(stream, evolveAction, initialActionState);
          if (action.status === 'none') {
            outcome = 'not-found';
            return { target: { id: actionId, stream }, appends: [] };
          }
          dueBy = action.dueBy;
          if (action.dueByRevision !== dueByRevision) {
            outcome = 'superseded';
            return { target: { id: actionId, stream }, appends: [] };
          }
          const decision = decideAction({ type: 'EscalateAction', actor: DEADLINES_ACTOR, now: now.toISOString() }, action);
          if (decision.ok && decision.events.length > 0) outcome = 'escalated';
          else if (action.status !== 'open') outcome = 'closed';
          else if (action.escalatedDueByRevision === action.dueByRevision) outcome = 'already-escalated';
          else outcome = 'not-due';
          return planOf(decision, { id: actionId, stream });
        });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return { outcome: 'not-found' };
        throw error;
      }
      return { outcome, dueBy };
    },
  };
}
