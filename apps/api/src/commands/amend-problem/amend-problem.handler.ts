import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideProblem, evolveArea, evolveProblem, initialAreaState, initialProblemState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { AmendProblemCommand } from './amend-problem.command';

@CommandHandler(AmendProblemCommand)
export class AmendProblemHandler implements ICommandHandler<AmendProblemCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, problemId, body }: AmendProblemCommand): Promise<CommandResult> {
    const stream = streamName('problem', problemId);
    return this.runner.run(context, { name: 'AmendProblem', targetStream: stream }, async (reader) => {
      await reader.prefetch([stream, ...(body.location === undefined ? [] : [streamName('area', body.location.areaCode)])]);
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const area = body.location === undefined ? undefined : await reader.load(streamName('area', body.location.areaCode), evolveArea, initialAreaState);
      const decision = decideProblem(
        {
          type: 'AmendProblem',
          actor: actorOf(context),
          now: nowOf(context),
          title: body.title,
          description: body.description,
          category: body.category,
          location: body.location,
          area,
        },
        problem,
      );
      return planOf(decision, { id: problemId, stream });
    });
  }
}
