import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { TableProblemCommand } from './table-problem.command';
import { TableProblemRequest } from './table-problem.request.dto';

@Controller()
export class TableProblemController extends CommandController {
  /** 200 with the problem's id and revision. */
  @CommandRoute('TableProblem')
  table(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: TableProblemRequest): Promise<CommandResult> {
    return this.send(request, (context) => new TableProblemCommand(context, id, body));
  }
}
