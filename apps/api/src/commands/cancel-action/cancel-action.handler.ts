import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAction, evolveAction, initialActionState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { CancelActionCommand } from './cancel-action.command';

@CommandHandler(CancelActionCommand)
export class CancelActionHandler implements ICommandHandler<CancelActionCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, actionId, body }: CancelActionCommand): Promise<CommandResult> {
    const stream = streamName('action', actionId);
    return this.runner.run(context, { name: 'CancelAction', targetStream: stream }, async (reader) => {
      const action = await reader.load(stream, evolveAction, initialActionState);
      const decision = decideAction({ type: 'CancelAction', actor: actorOf(context), now: nowOf(context), reason: body.reason }, action);
      return planOf(decision, { id: actionId, stream });
    });
  }
}
