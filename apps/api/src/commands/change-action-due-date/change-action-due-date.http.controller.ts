import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { ChangeActionDueDateCommand } from './change-action-due-date.command';
import { ChangeActionDueDateRequest } from './change-action-due-date.request.dto';

@Controller()
export class ChangeActionDueDateController extends CommandController {
  @CommandRoute('ChangeActionDueDate')
  changeDueDate(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: ChangeActionDueDateRequest): Promise<CommandResult> {
    return this.send(request, (context) => new ChangeActionDueDateCommand(context, id, body));
  }
}
