import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAction, evolveAction, initialActionState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { ClaimActionCommand } from './claim-action.command';

@CommandHandler(ClaimActionCommand)
export class ClaimActionHandler implements ICommandHandler<ClaimActionCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, actionId }: ClaimActionCommand): Promise<CommandResult> {
    const stream = streamName('action', actionId);
    return this.runner.run(context, { name: 'ClaimAction', targetStream: stream }, async (reader) => {
      const action = await reader.load(stream, evolveAction, initialActionState);
      return planOf(decideAction({ type: 'ClaimAction', actor: actorOf(context), now: nowOf(context) }, action), { id: actionId, stream });
    });
  }
}
