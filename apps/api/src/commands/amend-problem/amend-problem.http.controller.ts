import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { AmendProblemCommand } from './amend-problem.command';
import { AmendProblemRequest } from './amend-problem.request.dto';

@Controller()
export class AmendProblemController extends CommandController {
  @CommandRoute('AmendProblem')
  amend(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: AmendProblemRequest): Promise<CommandResult> {
    return this.send(request, (context) => new AmendProblemCommand(context, id, body));
  }
}
