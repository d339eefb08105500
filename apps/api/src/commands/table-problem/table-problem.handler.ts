import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { evolveMeeting, evolveProblem, initialMeetingState, initialProblemState, streamName, tableProblem } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, refusalOf, type CommandResult } from '@tasking/application';
import { TableProblemCommand } from './table-problem.command';

@CommandHandler(TableProblemCommand)
export class TableProblemHandler implements ICommandHandler<TableProblemCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, meetingId, body }: TableProblemCommand): Promise<CommandResult> {
    const meetingStream = streamName('meeting', meetingId);
    const problemStream = streamName('problem', body.problemId);
    // If-Match names the meeting, the aggregate in the path (api.md); the answer names the problem.
    return this.runner.run(context, { name: 'TableProblem', targetStream: meetingStream }, async (reader) => {
      await reader.prefetch([meetingStream, problemStream]);
      const meeting = await reader.load(meetingStream, evolveMeeting, initialMeetingState);
      const problem = await reader.load(problemStream, evolveProblem, initialProblemState);
      const decision = tableProblem({ problem, meeting, command: { type: 'TableProblem', actor: actorOf(context), now: nowOf(context) } });
      if (!decision.ok) return refusalOf(decision.error);
      return { target: { id: body.problemId, stream: problemStream }, appends: [{ stream: problemStream, events: decision.events.problem }] };
    });
  }
}
