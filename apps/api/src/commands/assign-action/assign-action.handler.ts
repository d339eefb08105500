import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  assignAction,
  evolveAction,
  evolveAgency,
  evolveMeeting,
  evolveProblem,
  initialActionState,
  initialAgencyState,
  initialMeetingState,
  initialProblemState,
  streamName,
} from '@tasking/domain';
import { CommandRunner, actorOf, newIdFor, nowOf, refusalOf, type CommandResult } from '@tasking/application';
import { AssignActionCommand } from './assign-action.command';

/**
 * ActionAgreed to the problem's stream and ActionAssigned to the new action's, in ONE append that
 * expects the problem at the revision read: a close committed in between makes it conflict, and
 * the retry sees the problem closed.
 */
@CommandHandler(AssignActionCommand)
export class AssignActionHandler implements ICommandHandler<AssignActionCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, problemId, input }: AssignActionCommand): Promise<CommandResult> {
    const problemStream = streamName('problem', problemId);
    const actionId = newIdFor(context, 'action');
    const actionStream = streamName('action', actionId);
    return this.runner.run(context, { name: 'AssignAction', targetStream: problemStream }, async (reader) => {
      await reader.prefetch([problemStream, streamName('agency', input.agency), ...(input.meetingId === undefined ? [] : [streamName('meeting', input.meetingId)]), actionStream]);
      const problem = await reader.load(problemStream, evolveProblem, initialProblemState);
      const agency = await reader.load(streamName('agency', input.agency), evolveAgency, initialAgencyState);
      const meeting = input.meetingId === undefined ? undefined : await reader.load(streamName('meeting', input.meetingId), evolveMeeting, initialMeetingState);
      await reader.load(actionStream, evolveAction, initialActionState);
      const decision = assignAction({
        problem,
        agency,
        meeting,
        command: {
          type: 'AssignAction',
          actor: actorOf(context),
          now: nowOf(context),
          timeZone: this.runner.timeZone,
          actionId,
          agency: input.agency,
          description: input.description,
          tactic: input.tactic,
          dueBy: input.dueBy,
          meetingId: input.meetingId,
          agreedEarlier: input.agreedEarlier,
        },
      });
      if (!decision.ok) return refusalOf(decision.error);
      return {
        target: { id: actionId, stream: actionStream },
        appends: [
          { stream: problemStream, events: decision.events.problem },
          { stream: actionStream, events: decision.events.action },
        ],
      };
    });
  }
}
