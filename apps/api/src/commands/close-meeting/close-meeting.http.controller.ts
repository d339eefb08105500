import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { CloseMeetingCommand } from './close-meeting.command';
import { CloseMeetingRequest } from './close-meeting.request.dto';

@Controller()
export class CloseMeetingController extends CommandController {
  @CommandRoute('CloseMeeting')
  close(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: CloseMeetingRequest): Promise<CommandResult> {
    return this.send(request, (context) => new CloseMeetingCommand(context, id, body));
  }
}
