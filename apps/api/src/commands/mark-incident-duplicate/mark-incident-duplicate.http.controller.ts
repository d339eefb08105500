import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { MarkIncidentDuplicateCommand } from './mark-incident-duplicate.command';
import { MarkIncidentDuplicateRequest } from './mark-incident-duplicate.request.dto';

@Controller()
export class MarkIncidentDuplicateController extends CommandController {
  @CommandRoute('MarkIncidentDuplicate')
  duplicate(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: MarkIncidentDuplicateRequest): Promise<CommandResult> {
    return this.send(request, (context) => new MarkIncidentDuplicateCommand(context, id, body));
  }
}
