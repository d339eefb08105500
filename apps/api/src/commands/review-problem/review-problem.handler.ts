import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideProblem, evolveMeeting, evolveProblem, initialMeetingState, initialProblemState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { ReviewProblemCommand } from './review-problem.command';

@CommandHandler(ReviewProblemCommand)
export class ReviewProblemHandler implements ICommandHandler<ReviewProblemCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, problemId, body }: ReviewProblemCommand): Promise<CommandResult> {
    const stream = streamName('problem', problemId);
    return this.runner.run(context, { name: 'ReviewProblem', targetStream: stream }, async (reader) => {
      await reader.prefetch([stream, ...(body.meetingId === undefined ? [] : [streamName('meeting', body.meetingId)])]);
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const decision = decideProblem(
        { type: 'ReviewProblem', actor: actorOf(context), now: nowOf(context), rag: body.rag, note: body.note, meetingId: body.meetingId },
        problem,
      );
      if (decision.ok && body.meetingId !== undefined && problem.status !== 'none') {
        // The review names a meeting: it must be one of the problem's partnership (as tabling and assigning require).
        const meeting = await reader.load(streamName('meeting', body.meetingId), evolveMeeting, initialMeetingState);
        if (meeting.status === 'none' || meeting.partnership !== problem.partnership) {
          return { code: 'NOT_FOUND', message: `meeting ${body.meetingId} not found in partnership ${problem.partnership}` };
        }
      }
      return planOf(decision, { id: problemId, stream });
    });
  }
}
