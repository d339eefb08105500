import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideSource, evolveSource, initialSourceState, sourceStreamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { PutSourceCommand } from './put-source.command';

@CommandHandler(PutSourceCommand)
export class PutSourceHandler implements ICommandHandler<PutSourceCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, sourceCode, body }: PutSourceCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, body.partnership);
    // Codes are per partnership: another partnership's source of the same code is not this one.
    const stream = sourceStreamName(partnership, sourceCode);
    return this.runner.run(context, { name: 'PutSource', targetStream: stream }, async (reader) => {
      const source = await reader.load(stream, evolveSource, initialSourceState);
      const decision = decideSource(
        {
          type: 'PutSource',
          actor: actorOf(context),
          now: nowOf(context),
          code: sourceCode,
          partnership,
          name: body.name,
          kind: body.kind,
          triage: body.triage,
          categoryMap: body.categoryMap,
        },
        source,
      );
      return planOf(decision, { id: sourceCode, stream });
    });
  }
}
