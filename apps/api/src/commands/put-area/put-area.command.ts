import { Command } from '@nestjs/cqrs';
import type { GeoJsonPolygon, LatLng } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface PutAreaInput {
  name: string;
  partnership?: string;
  centroid: LatLng;
  boundary?: GeoJsonPolygon;
}

export class PutAreaCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly areaCode: string,
    readonly input: PutAreaInput,
  ) {
    super();
  }
}
