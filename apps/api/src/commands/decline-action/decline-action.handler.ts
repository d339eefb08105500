import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAction, evolveAction, initialActionState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { DeclineActionCommand } from './decline-action.command';

@CommandHandler(DeclineActionCommand)
export class DeclineActionHandler implements ICommandHandler<DeclineActionCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, actionId, body }: DeclineActionCommand): Promise<CommandResult> {
    const stream = streamName('action', actionId);
    return this.runner.run(context, { name: 'DeclineAction', targetStream: stream }, async (reader) => {
      const action = await reader.load(stream, evolveAction, initialActionState);
      const decision = decideAction(
        { type: 'DeclineAction', actor: actorOf(context), now: nowOf(context), reasonCode: body.reasonCode, note: body.note },
        action,
      );
      return planOf(decision, { id: actionId, stream });
    });
  }
}
