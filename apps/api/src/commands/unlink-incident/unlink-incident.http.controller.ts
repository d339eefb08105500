import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { UnlinkIncidentCommand } from './unlink-incident.command';
import { UnlinkIncidentRequest } from './unlink-incident.request.dto';

@Controller()
export class UnlinkIncidentController extends CommandController {
  @CommandRoute('UnlinkIncident')
  unlink(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: UnlinkIncidentRequest): Promise<CommandResult> {
    return this.send(request, (context) => new UnlinkIncidentCommand(context, id, body));
  }
}
