import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import { UuidParam } from '../request-validation';
import { AddSubjectCommand, type SubjectResult } from './add-subject.command';
import { AddSubjectRequest } from './add-subject.request.dto';

@Controller()
export class AddSubjectController extends CommandController {
  /** 201: `{id, revision, position}` of the problem, plus `subjectId`. Inspectors; officers of an agency holding one of its actions. */
  @CommandRoute('AddSubject')
  add(@Req() request: FastifyRequest, @Param('id', UuidParam) id: string, @Body() body: AddSubjectRequest): Promise<SubjectResult> {
    return this.send(request, (context) => new AddSubjectCommand(context, id, body));
  }
}
