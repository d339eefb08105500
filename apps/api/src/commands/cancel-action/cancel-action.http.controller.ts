import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { CancelActionCommand } from './cancel-action.command';
import { CancelActionRequest } from './cancel-action.request.dto';

@Controller()
export class CancelActionController extends CommandController {
  @CommandRoute('CancelAction')
  cancel(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: CancelActionRequest): Promise<CommandResult> {
    return this.send(request, (context) => new CancelActionCommand(context, id, body));
  }
}
