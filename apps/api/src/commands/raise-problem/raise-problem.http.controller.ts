import { Body, Controller, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { RaiseProblemCommand } from './raise-problem.command';
import { RaiseProblemRequest } from './raise-problem.request.dto';

@Controller()
export class RaiseProblemController extends CommandController {
  @CommandRoute('RaiseProblem')
  raise(@Req() request: FastifyRequest, @Body() body: RaiseProblemRequest): Promise<CommandResult> {
    return this.send(request, (context) => new RaiseProblemCommand(context, body));
  }
}
