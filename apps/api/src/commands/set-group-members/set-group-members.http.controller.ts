import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { PlaceCodeParam } from '../request-validation';
import { SetGroupMembersCommand } from './set-group-members.command';
import { SetGroupMembersRequest } from './set-group-members.request.dto';

@Controller()
export class SetGroupMembersController extends CommandController {
  @CommandRoute('SetGroupMembers')
  setMembers(@Req() request: FastifyRequest, @Param('code', PlaceCodeParam) code: string, @Body() body: SetGroupMembersRequest): Promise<CommandResult> {
    return this.send(request, (context) => new SetGroupMembersCommand(context, code, body));
  }
}
