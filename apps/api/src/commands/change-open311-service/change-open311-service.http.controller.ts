import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ProblemCategory } from '@tasking/domain';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { CategoryParam } from '../request-validation';
import { ChangeOpen311ServiceCommand } from './change-open311-service.command';
import { ChangeOpen311ServiceRequest } from './change-open311-service.request.dto';

@Controller()
export class ChangeOpen311ServiceController extends CommandController {
  @CommandRoute('ChangeOpen311Service')
  change(
    @Req() request: FastifyRequest,
    @Param('category', CategoryParam) category: ProblemCategory,
    @Body() body: ChangeOpen311ServiceRequest,
  ): Promise<CommandResult> {
    return this.send(request, (context) => new ChangeOpen311ServiceCommand(context, category, body));
  }
}
