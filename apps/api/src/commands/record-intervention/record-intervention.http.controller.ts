import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import { UuidParam } from '../request-validation';
import { RecordInterventionCommand, type RecordInterventionResult } from './record-intervention.command';
import { RecordInterventionRequest } from './record-intervention.request.dto';

@Controller()
export class RecordInterventionController extends CommandController {
  /** 201: `{id, revision, position}` of the action, plus `interventionId`. */
  @CommandRoute('RecordIntervention')
  record(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: RecordInterventionRequest): Promise<RecordInterventionResult> {
    return this.send(request, (context) => new RecordInterventionCommand(context, id, body));
  }
}
