import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAction, evolveAction, initialActionState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { ReleaseActionCommand } from './release-action.command';

@CommandHandler(ReleaseActionCommand)
export class ReleaseActionHandler implements ICommandHandler<ReleaseActionCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, actionId, body }: ReleaseActionCommand): Promise<CommandResult> {
    const stream = streamName('action', actionId);
    return this.runner.run(context, { name: 'ReleaseAction', targetStream: stream }, async (reader) => {
      const action = await reader.load(stream, evolveAction, initialActionState);
      const decision = decideAction({ type: 'ReleaseAction', actor: actorOf(context), now: nowOf(context), reason: body.reason }, action);
      return planOf(decision, { id: actionId, stream });
    });
  }
}
