import { Body, Controller, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Roles } from '@tasking/auth';
import { CommandController } from '../command.controller';
import type { CommandResult } from '@tasking/application';
import { ScheduleMeetingCommand } from './schedule-meeting.command';
import { ScheduleMeetingRequest } from './schedule-meeting.request.dto';

@Controller('v1/meetings')
export class ScheduleMeetingController extends CommandController {
  /** 201 */
  @Post()
  @Roles('inspector')
  schedule(@Req() request: FastifyRequest, @Body() body: ScheduleMeetingRequest): Promise<CommandResult> {
    return this.send(request, (context) => new ScheduleMeetingCommand(context, body));
  }
}
