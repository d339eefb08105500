import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { PartnershipCodeParam } from '../request-validation';
import { ChangePartnershipSettingsCommand } from './change-partnership-settings.command';
import { ChangePartnershipSettingsRequest } from './change-partnership-settings.request.dto';

@Controller()
export class ChangePartnershipSettingsController extends CommandController {
  @CommandRoute('ChangePartnershipSettings')
  change(
    @Req() request: FastifyRequest,
    @Param('code', PartnershipCodeParam) code: string,
    @Body() body: ChangePartnershipSettingsRequest,
  ): Promise<CommandResult> {
    return this.send(request, (context) => new ChangePartnershipSettingsCommand(context, code, body));
  }
}
