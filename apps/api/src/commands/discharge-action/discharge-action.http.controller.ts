import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { DischargeActionCommand } from './discharge-action.command';
import { DischargeActionRequest } from './discharge-action.request.dto';

@Controller()
export class DischargeActionController extends CommandController {
  @CommandRoute('DischargeAction')
  discharge(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: DischargeActionRequest): Promise<CommandResult> {
    return this.send(request, (context) => new DischargeActionCommand(context, id, body));
  }
}
