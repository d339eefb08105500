import { Body, Controller, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { RegisterGroupCommand } from './register-group.command';
import { RegisterGroupRequest } from './register-group.request.dto';

@Controller()
export class RegisterGroupController extends CommandController {
  @CommandRoute('RegisterGroup')
  register(@Req() request: FastifyRequest, @Body() body: RegisterGroupRequest): Promise<CommandResult> {
    return this.send(request, (context) => new RegisterGroupCommand(context, body));
  }
}
