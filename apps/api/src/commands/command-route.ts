import { applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Roles } from '@tasking/auth';
import { COMMAND_ROLES, type UserCommandType } from '@tasking/domain';

/**
 * The route of a domain command: its roles guard and its OpenAPI note (`x-command`, `x-roles`)
 * from the command's row of COMMAND_ROLES, the table the decider checks, so the three agree.
 */
export const CommandRoute = (type: UserCommandType): MethodDecorator =>
  applyDecorators(Roles(...COMMAND_ROLES[type]), ApiExtension('x-command', type), ApiExtension('x-roles', [...COMMAND_ROLES[type]]));
