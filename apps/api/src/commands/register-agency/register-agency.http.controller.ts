import { Body, Controller, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { RegisterAgencyCommand } from './register-agency.command';
import { RegisterAgencyRequest } from './register-agency.request.dto';

@Controller()
export class RegisterAgencyController extends CommandController {
  @CommandRoute('RegisterAgency')
  register(@Req() request: FastifyRequest, @Body() body: RegisterAgencyRequest): Promise<CommandResult> {
    return this.send(request, (context) => new RegisterAgencyCommand(context, body));
  }
}
