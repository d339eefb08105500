import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideProblem, evolveProblem, initialProblemState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { AnalyseProblemCommand } from './analyse-problem.command';

@CommandHandler(AnalyseProblemCommand)
export class AnalyseProblemHandler implements ICommandHandler<AnalyseProblemCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, problemId, body }: AnalyseProblemCommand): Promise<CommandResult> {
    const stream = streamName('problem', problemId);
    return this.runner.run(context, { name: 'AnalyseProblem', targetStream: stream }, async (reader) => {
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const decision = decideProblem(
        {
          type: 'AnalyseProblem',
          actor: actorOf(context),
          now: nowOf(context),
          victim: body.victim,
          offender: body.offender,
          location: body.location,
          hypotheses: body.hypotheses,
        },
        problem,
      );
      return planOf(decision, { id: problemId, stream });
    });
  }
}
