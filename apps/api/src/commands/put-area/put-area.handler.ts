import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideArea, evolveArea, initialAreaState, streamName, type AreaState } from '@tasking/domain';
import { CommandRunner, actorOf, nowOf, partnershipOf, planOf, type CommandResult } from '@tasking/application';
import { PutAreaCommand } from './put-area.command';

@CommandHandler(PutAreaCommand)
export class PutAreaHandler implements ICommandHandler<PutAreaCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ context, areaCode, body }: PutAreaCommand): Promise<CommandResult> {
    const stream = streamName('area', areaCode);
    return this.runner.run(context, { name: 'PutArea', targetStream: stream }, async (reader) => {
      const neighbours = [...new Set(body.neighbours ?? [])].filter((code) => code !== areaCode);
      await reader.prefetch([stream, ...neighbours.map((code) => streamName('area', code))]);
      const area = await reader.load(stream, evolveArea, initialAreaState);
      const neighbourAreas: Record<string, AreaState> = {};
      for (const code of neighbours) neighbourAreas[code] = await reader.load(streamName('area', code), evolveArea, initialAreaState);
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
          lsoaCodes: body.lsoaCodes,
          neighbours: body.neighbours,
          externalCode: body.externalCode,
          neighbourAreas,
        },
        area,
      );
      return planOf(decision, { id: areaCode, stream });
    });
  }
}
