import { Body, Controller, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { RegisterOpen311ClientCommand } from './register-open311-client.command';
import { RegisterOpen311ClientRequest } from './register-open311-client.request.dto';

@Controller()
export class RegisterOpen311ClientController extends CommandController {
  /** 201 `{id, apiKey, ...}`: the key is shown this once and never again. */
  @CommandRoute('RegisterOpen311Client')
  register(@Req() request: FastifyRequest, @Body() body: RegisterOpen311ClientRequest): Promise<CommandResult & { apiKey?: string }> {
    return this.send(request, (context) => new RegisterOpen311ClientCommand(context, body));
  }
}
