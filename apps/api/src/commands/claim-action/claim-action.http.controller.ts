import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { NoBody, UuidParam } from '../request-validation';
import { ClaimActionCommand } from './claim-action.command';

@Controller()
export class ClaimActionController extends CommandController {
  /** No body (an empty object is accepted too). */
  @CommandRoute('ClaimAction')
  claim(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body(NoBody) _body: unknown): Promise<CommandResult> {
    return this.send(request, (context) => new ClaimActionCommand(context, id));
  }
}
