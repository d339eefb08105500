import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { PlaceCodeParam } from '../request-validation';
import { SetGroupScheduleCommand } from './set-group-schedule.command';
import { SetGroupScheduleRequest } from './set-group-schedule.request.dto';

@Controller()
export class SetGroupScheduleController extends CommandController {
  @CommandRoute('SetGroupSchedule')
  setSchedule(@Req() request: FastifyRequest, @Param('code', PlaceCodeParam) code: string, @Body() body: SetGroupScheduleRequest): Promise<CommandResult> {
    return this.send(request, (context) => new SetGroupScheduleCommand(context, code, body));
  }
}
