import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { PlaceCodeParam } from '../request-validation';
import { PutAreaCommand } from './put-area.command';
import { PutAreaRequest } from './put-area.request.dto';

@Controller()
export class PutAreaController extends CommandController {
  /** 200, for a registration and an update alike. */
  @CommandRoute('PutArea')
  put(@Req() request: FastifyRequest, @Param('code', PlaceCodeParam) code: string, @Body() body: PutAreaRequest): Promise<CommandResult> {
    return this.send(request, (context) => new PutAreaCommand(context, code, body));
  }
}
