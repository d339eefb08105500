import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { ReleaseActionCommand } from './release-action.command';
import { ReleaseActionRequest } from './release-action.request.dto';

@Controller()
export class ReleaseActionController extends CommandController {
  @CommandRoute('ReleaseAction')
  release(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: ReleaseActionRequest): Promise<CommandResult> {
    return this.send(request, (context) => new ReleaseActionCommand(context, id, body));
  }
}
