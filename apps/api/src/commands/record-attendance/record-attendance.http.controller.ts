import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import type { CommandResult } from '@tasking/application';
import { UuidParam } from '../request-validation';
import { RecordAttendanceCommand } from './record-attendance.command';
import { RecordAttendanceRequest } from './record-attendance.request.dto';

@Controller()
export class RecordAttendanceController extends CommandController {
  @CommandRoute('RecordAttendance')
  record(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: RecordAttendanceRequest): Promise<CommandResult> {
    return this.send(request, (context) => new RecordAttendanceCommand(context, id, body));
  }
}
