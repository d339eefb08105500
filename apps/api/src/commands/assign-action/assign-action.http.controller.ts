import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { AssignActionCommand } from './assign-action.command';
import { AssignActionRequest } from './assign-action.request.dto';

@Controller()
export class AssignActionController extends CommandController {
  /** 201; id and revision are the new action's (If-Match applies to the problem in the path). */
  @CommandRoute('AssignAction')
  assign(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: AssignActionRequest): Promise<CommandResult> {
    return this.send(request, (context) => new AssignActionCommand(context, id, body));
  }
}
