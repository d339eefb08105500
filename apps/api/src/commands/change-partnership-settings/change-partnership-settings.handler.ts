import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decidePartnership, evolvePartnership, initialPartnershipState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, planOf, type CommandResult } from '@tasking/application';
import { ChangePartnershipSettingsCommand } from './change-partnership-settings.command';

@CommandHandler(ChangePartnershipSettingsCommand)
export class ChangePartnershipSettingsHandler implements ICommandHandler<ChangePartnershipSettingsCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, partnership, body }: ChangePartnershipSettingsCommand): Promise<CommandResult> {
    const stream = streamName('partnership', partnership);
    return this.runner.run(context, { name: 'ChangePartnershipSettings', targetStream: stream }, async (reader) => {
      const state = await reader.load(stream, evolvePartnership, initialPartnershipState);
      const decision = decidePartnership(
        {
          type: 'ChangePartnershipSettings',
          actor: actorOf(context),
          now: nowOf(context),
          partnership,
          open311Jurisdictions: body.open311Jurisdictions,
          publicDescriptions: body.publicDescriptions,
        },
        state,
      );
      return planOf(decision, { id: partnership, stream });
    });
  }
}
