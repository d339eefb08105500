import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { AgencyCodeParam } from '../request-validation';
import { DeactivateAgencyCommand } from './deactivate-agency.command';
import { DeactivateAgencyRequest } from './deactivate-agency.request.dto';

@Controller()
export class DeactivateAgencyController extends CommandController {
  @CommandRoute('DeactivateAgency')
  deactivate(
    @Req() request: FastifyRequest,
    @Param('code', AgencyCodeParam) code: string,
    @Body() body: DeactivateAgencyRequest,
  ): Promise<CommandResult> {
    return this.send(request, (context) => new DeactivateAgencyCommand(context, code, body));
  }
}
