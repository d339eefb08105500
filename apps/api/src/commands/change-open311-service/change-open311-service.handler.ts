import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decidePartnership, evolvePartnership, initialPartnershipState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { ChangeOpen311ServiceCommand } from './change-open311-service.command';

@CommandHandler(ChangeOpen311ServiceCommand)
export class ChangeOpen311ServiceHandler implements ICommandHandler<ChangeOpen311ServiceCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, category, body }: ChangeOpen311ServiceCommand): Promise<CommandResult> {
    const partnership = partnershipOf(context.principal, body.partnership);
    const stream = streamName('partnership', partnership);
    return this.runner.run(context, { name: 'ChangeOpen311Service', targetStream: stream }, async (reader) => {
      const state = await reader.load(stream, evolvePartnership, initialPartnershipState);
      const decision = decidePartnership(
        {
          type: 'ChangeOpen311Service',
          actor: actorOf(context),
          now: nowOf(context),
          partnership,
          category,
          reportable: body.reportable,
          name: body.name,
          description: body.description,
        },
        state,
      );
      return planOf(decision, { id: category, stream });
    });
  }
}
