import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { LinkIncidentCommand } from './link-incident.command';
import { LinkIncidentRequest } from './link-incident.request.dto';

@Controller()
export class LinkIncidentController extends CommandController {
  @CommandRoute('LinkIncident')
  link(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: LinkIncidentRequest): Promise<CommandResult> {
    return this.send(request, (context) => new LinkIncidentCommand(context, id, body));
  }
}
