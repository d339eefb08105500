import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideProblem, evolveProblem, initialProblemState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { ReopenProblemCommand } from './reopen-problem.command';

@CommandHandler(ReopenProblemCommand)
export class ReopenProblemHandler implements ICommandHandler<ReopenProblemCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, problemId, body }: ReopenProblemCommand): Promise<CommandResult> {
    const stream = streamName('problem', problemId);
    return this.runner.run(context, { name: 'ReopenProblem', targetStream: stream }, async (reader) => {
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const decision = decideProblem({ type: 'ReopenProblem', actor: actorOf(context), now: nowOf(context), reason: body.reason }, problem);
      return planOf(decision, { id: problemId, stream });
    });
  }
}
