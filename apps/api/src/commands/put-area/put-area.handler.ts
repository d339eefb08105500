import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideArea, evolveArea, initialAreaState, streamName } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { PutAreaCommand } from './put-area.command';

@CommandHandler(PutAreaCommand)
export class PutAreaHandler implements ICommandHandler<PutAreaCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, areaCode, body }: PutAreaCommand): Promise<CommandResult> {
    const stream = streamName('area', areaCode);
    return this.runner.run(context, { name: 'PutArea', targetStream: stream }, async (reader) => {
      const area = await reader.load(stream, evolveArea, initialAreaState);
      // A repeated PUT of a registered area may leave out the partnership: the area keeps its own.
      const partnership =
        body.partnership ?? (area.status === 'registered' ? area.partnership : partnershipOf(context.principal, undefined));
      const decision = decideArea(
        {
          type: 'PutArea',
          actor: actorOf(context),
          now: nowOf(context),
          code: areaCode,
          name: body.name,
          partnership,
          centroid: body.centroid,
          boundary: body.boundary,
        },
        area,
      );
      return planOf(decision, { id: areaCode, stream });
    });
  }
}
