import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideAgency, evolveAgency, initialAgencyState, streamName } from '@tasking/domain';
import { CommandRunner, type CommandResult } from '../command-runner';
import { actorOf, nowOf, planOf } from '../command-support';
import { DeactivateAgencyCommand } from './deactivate-agency.command';

@CommandHandler(DeactivateAgencyCommand)
export class DeactivateAgencyHandler implements ICommandHandler<DeactivateAgencyCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, agencyCode, input }: DeactivateAgencyCommand): Promise<CommandResult> {
    const stream = streamName('agency', agencyCode);
    return this.runner.run(context, { name: 'DeactivateAgency', roles: ['admin'], targetStream: stream }, async (reader) => {
      const agency = await reader.load(stream, evolveAgency, initialAgencyState);
      const decision = decideAgency({ type: 'DeactivateAgency', actor: actorOf(context), now: nowOf(context), reason: input.reason }, agency);
      return planOf(decision, { id: agencyCode, stream });
    });
  }
}
