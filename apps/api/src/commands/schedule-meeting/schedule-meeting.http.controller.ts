import { Body, Controller, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { ScheduleMeetingCommand } from './schedule-meeting.command';
import { ScheduleMeetingRequest } from './schedule-meeting.request.dto';

@Controller()
export class ScheduleMeetingController extends CommandController {
  @CommandRoute('ScheduleMeeting')
  schedule(@Req() request: FastifyRequest, @Body() body: ScheduleMeetingRequest): Promise<CommandResult> {
    return this.send(request, (context) => new ScheduleMeetingCommand(context, body));
  }
}
