import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAction, evolveAction, initialActionState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { DischargeActionCommand } from './discharge-action.command';

@CommandHandler(DischargeActionCommand)
export class DischargeActionHandler implements ICommandHandler<DischargeActionCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, actionId, body }: DischargeActionCommand): Promise<CommandResult> {
    const stream = streamName('action', actionId);
    return this.runner.run(context, { name: 'DischargeAction', targetStream: stream }, async (reader) => {
      const action = await reader.load(stream, evolveAction, initialActionState);
      const decision = decideAction(
        { type: 'DischargeAction', actor: actorOf(context), now: nowOf(context),
          timeZone: this.runner.timeZone, result: body.result, note: body.note, dischargedAt: body.dischargedAt },
        action,
      );
      return planOf(decision, { id: actionId, stream });
    });
  }
}
