import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideProblem, evolveArea, evolveProblem, initialAreaState, initialProblemState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, groupStreams, loadGroup, newIdFor, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { RaiseProblemCommand } from './raise-problem.command';

@CommandHandler(RaiseProblemCommand)
export class RaiseProblemHandler implements ICommandHandler<RaiseProblemCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, input }: RaiseProblemCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, input.partnership);
    const problemId = newIdFor(context, 'problem');
    const stream = streamName('problem', problemId);
    return this.runner.run(context, { name: 'RaiseProblem' }, async (reader) => {
      await reader.prefetch([streamName('area', input.location.areaCode), ...(input.groupCode === undefined ? [] : groupStreams(partnership, input.groupCode)), stream]);
      const area = await reader.load(streamName('area', input.location.areaCode), evolveArea, initialAreaState);
      const group = input.groupCode === undefined ? undefined : await loadGroup(reader, partnership, input.groupCode);
      const problem = await reader.load(stream, evolveProblem, initialProblemState);
      const decision = decideProblem(
        {
          type: 'RaiseProblem',
          actor: actorOf(context),
          now: nowOf(context),
          timeZone: this.runner.timeZone,
          problemId,
          partnership,
          title: input.title,
          description: input.description,
          category: input.category,
          location: input.location,
          priority: input.priority,
          source: input.source,
          groupCode: input.groupCode,
          raisedAt: input.raisedAt,
          area,
          group,
        },
        problem,
      );
      return planOf(decision, { id: problemId, stream });
    });
  }
}
