import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { NoBody, UuidParam } from '../request-validation';
import { RevokeOpen311ClientCommand } from './revoke-open311-client.command';

@Controller()
export class RevokeOpen311ClientController extends CommandController {
  /** No body (an empty object is accepted too). Revoking a revoked client changes nothing. */
  @CommandRoute('RevokeOpen311Client')
  revoke(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body(NoBody) _body: unknown): Promise<CommandResult> {
    return this.send(request, (context) => new RevokeOpen311ClientCommand(context, id));
  }
}
