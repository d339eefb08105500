import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { ReassignActionCommand } from './reassign-action.command';
import { ReassignActionRequest } from './reassign-action.request.dto';

@Controller()
export class ReassignActionController extends CommandController {
  @CommandRoute('ReassignAction')
  reassign(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: ReassignActionRequest): Promise<CommandResult> {
    return this.send(request, (context) => new ReassignActionCommand(context, id, body));
  }
}
