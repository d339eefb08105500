import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { CloseProblemCommand } from './close-problem.command';
import { CloseProblemRequest } from './close-problem.request.dto';

@Controller()
export class CloseProblemController extends CommandController {
  @CommandRoute('CloseProblem')
  close(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: CloseProblemRequest): Promise<CommandResult> {
    return this.send(request, (context) => new CloseProblemCommand(context, id, body));
  }
}
