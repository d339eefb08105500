import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideProblem, evolveProblem, initialProblemState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { PrioritiseProblemCommand } from './prioritise-problem.command';

@CommandHandler(PrioritiseProblemCommand)
export class PrioritiseProblemHandler implements ICommandHandler<PrioritiseProblemCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, problemId, body }: PrioritiseProblemCommand): Promise<CommandResult> {
    const stream = streamName('problem', problemId);
    return this.runner.run(context, { name: 'PrioritiseProblem', targetStream: stream }, async (reader) => {
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const decision = decideProblem(
        { type: 'PrioritiseProblem', actor: actorOf(context), now: nowOf(context), priority: body.priority, harmScore: body.harmScore, rationale: body.rationale },
        problem,
      );
      return planOf(decision, { id: problemId, stream });
    });
  }
}
