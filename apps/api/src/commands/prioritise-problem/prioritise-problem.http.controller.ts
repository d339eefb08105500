import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { PrioritiseProblemCommand } from './prioritise-problem.command';
import { PrioritiseProblemRequest } from './prioritise-problem.request.dto';

@Controller()
export class PrioritiseProblemController extends CommandController {
  @CommandRoute('PrioritiseProblem')
  prioritise(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: PrioritiseProblemRequest): Promise<CommandResult> {
    return this.send(request, (context) => new PrioritiseProblemCommand(context, id, body));
  }
}
