import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { AgencyCodeParam } from '../request-validation';
import { SetAgencyWebhookCommand } from './set-agency-webhook.command';
import { SetAgencyWebhookRequest } from './set-agency-webhook.request.dto';

@Controller()
export class SetAgencyWebhookController extends CommandController {
  /** 200; the answer never holds the secret. */
  @CommandRoute('SetAgencyWebhook')
  setWebhook(
    @Req() request: FastifyRequest,
    @Param('code', AgencyCodeParam) code: string,
    @Body() body: SetAgencyWebhookRequest,
  ): Promise<CommandResult> {
    return this.send(request, (context) => new SetAgencyWebhookCommand(context, code, body));
  }
}
