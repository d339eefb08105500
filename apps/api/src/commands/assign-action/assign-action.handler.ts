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

  execute({ context, problemId, body }: AssignActionCommand): Promise<CommandResult> {
    const problemStream = streamName('problem', problemId);
    const actionId = newIdFor(context, 'action');
    const actionStream = streamName('action', actionId);
    return this.runner.run(context, { name: 'AssignAction', targetStream: problemStream }, async (reader) => {
      await reader.prefetch([problemStream, streamName('agency', body.agency), ...(body.meetingId === undefined ? [] : [streamName('meeting', body.meetingId)]), actionStream]);
      const problem = await reader.load(problemStream, evolveProblem, initialProblemState);
      const agency = await reader.load(streamName('agency', body.agency), evolveAgency, initialAgencyState);
      const meeting = body.meetingId === undefined ? undefined : await reader.load(streamName('meeting', body.meetingId), evolveMeeting, initialMeetingState);
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
          agency: body.agency,
          description: body.description,
          tactic: body.tactic,
          dueBy: body.dueBy,
          meetingId: body.meetingId,
          agreedEarlier: body.agreedEarlier,
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
