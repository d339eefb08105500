import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAction, evolveAction, initialActionState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { ChangeActionDueDateCommand } from './change-action-due-date.command';

@CommandHandler(ChangeActionDueDateCommand)
export class ChangeActionDueDateHandler implements ICommandHandler<ChangeActionDueDateCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, actionId, body }: ChangeActionDueDateCommand): Promise<CommandResult> {
    const stream = streamName('action', actionId);
    return this.runner.run(context, { name: 'ChangeActionDueDate', targetStream: stream }, async (reader) => {
      const action = await reader.load(stream, evolveAction, initialActionState);
      const decision = decideAction(
        { type: 'ChangeActionDueDate', actor: actorOf(context), now: nowOf(context),
          timeZone: this.runner.timeZone, dueBy: body.dueBy, reason: body.reason },
        action,
      );
      return planOf(decision, { id: actionId, stream });
    });
  }
}
