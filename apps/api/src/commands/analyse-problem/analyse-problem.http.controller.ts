import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { AnalyseProblemCommand } from './analyse-problem.command';
import { AnalyseProblemRequest } from './analyse-problem.request.dto';

@Controller()
export class AnalyseProblemController extends CommandController {
  @CommandRoute('AnalyseProblem')
  analyse(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: AnalyseProblemRequest): Promise<CommandResult> {
    return this.send(request, (context) => new AnalyseProblemCommand(context, id, body));
  }
}
