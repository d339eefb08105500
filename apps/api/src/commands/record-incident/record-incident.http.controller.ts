import { Body, Controller, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { RecordIncidentCommand } from './record-incident.command';
import { RecordIncidentRequest } from './record-incident.request.dto';

@Controller()
export class RecordIncidentController extends CommandController {
  /** 201 with the incident's id and revision. */
  @CommandRoute('RecordIncident')
  record(@Req() request: FastifyRequest, @Body() body: RecordIncidentRequest): Promise<CommandResult> {
    return this.send(request, (context) => new RecordIncidentCommand(context, body));
  }
}
