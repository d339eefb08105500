import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { CancelActionCommand } from './cancel-action.command';
import { CancelActionRequest } from './cancel-action.request.dto';

@Controller('v1/actions')
export class CancelActionController extends CommandController {
  @Post(':id/cancel')
  @HttpCode(200)
  @CommandRoute('CancelAction')
  cancel(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: CancelActionRequest): Promise<CommandResult> {
    return this.send(request, (context) => new CancelActionCommand(context, id, body));
  }
}
