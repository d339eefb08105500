import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { ReopenProblemCommand } from './reopen-problem.command';
import { ReopenProblemRequest } from './reopen-problem.request.dto';

@Controller()
export class ReopenProblemController extends CommandController {
  @CommandRoute('ReopenProblem')
  reopen(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: ReopenProblemRequest): Promise<CommandResult> {
    return this.send(request, (context) => new ReopenProblemCommand(context, id, body));
  }
}
