import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { DismissIncidentCommand } from './dismiss-incident.command';
import { DismissIncidentRequest } from './dismiss-incident.request.dto';

@Controller()
export class DismissIncidentController extends CommandController {
  @CommandRoute('DismissIncident')
  dismiss(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: DismissIncidentRequest): Promise<CommandResult> {
    return this.send(request, (context) => new DismissIncidentCommand(context, id, body));
  }
}
