import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { DeclineActionCommand } from './decline-action.command';
import { DeclineActionRequest } from './decline-action.request.dto';

@Controller()
export class DeclineActionController extends CommandController {
  @CommandRoute('DeclineAction')
  decline(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: DeclineActionRequest): Promise<CommandResult> {
    return this.send(request, (context) => new DeclineActionCommand(context, id, body));
  }
}
