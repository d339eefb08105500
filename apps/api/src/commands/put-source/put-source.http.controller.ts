import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { PlaceCodeParam } from '../request-validation';
import { PutSourceCommand } from './put-source.command';
import { PutSourceRequest } from './put-source.request.dto';

@Controller()
export class PutSourceController extends CommandController {
  /** 200, for a registration and an update alike. */
  @CommandRoute('PutSource')
  put(@Req() request: FastifyRequest, @Param('code', PlaceCodeParam) code: string, @Body() body: PutSourceRequest): Promise<CommandResult> {
    return this.send(request, (context) => new PutSourceCommand(context, code, body));
  }
}
