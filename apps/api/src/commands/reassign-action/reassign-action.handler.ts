import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAction, evolveAction, evolveAgency, initialActionState, initialAgencyState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { ReassignActionCommand } from './reassign-action.command';

@CommandHandler(ReassignActionCommand)
export class ReassignActionHandler implements ICommandHandler<ReassignActionCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, actionId, body }: ReassignActionCommand): Promise<CommandResult> {
    const stream = streamName('action', actionId);
    return this.runner.run(context, { name: 'ReassignAction', targetStream: stream }, async (reader) => {
      await reader.prefetch([stream, streamName('agency', body.agency)]);
      const action = await reader.load(stream, evolveAction, initialActionState);
      const newAgency = await reader.load(streamName('agency', body.agency), evolveAgency, initialAgencyState);
      const decision = decideAction(
        {
          type: 'ReassignAction',
          actor: actorOf(context),
          now: nowOf(context),
          timeZone: this.runner.timeZone,
          agency: body.agency,
          reason: body.reason,
          dueBy: body.dueBy,
          newAgency,
        },
        action,
      );
      return planOf(decision, { id: actionId, stream });
    });
  }
}
