import { Body, Controller, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CommandController } from '../command.controller';
import { CommandRoute } from '../command-route';
import { UuidParam } from '../request-validation';
import type { SubjectResult } from '../add-subject/add-subject.command';
import { EraseSubjectCommand } from './erase-subject.command';
import { EraseSubjectRequest } from './erase-subject.request.dto';

@Controller()
export class EraseSubjectController extends CommandController {
  /**
   * 200: the subject's personal data is erased everywhere (its key destroyed). Inspectors and
   * admins. The problem is checked first (404 for one of another partnership, as for an unknown
   * id); a subject id that names no subject of the problem, well-formed or not, is 404 too.
   */
  @CommandRoute('EraseSubject')
  erase(
    @Req() request: FastifyRequest,
    @Param('id', UuidParam) id: string,
    @Param('subjectId') subjectId: string,
    @Body() body: EraseSubjectRequest,
  ): Promise<SubjectResult> {
    return this.send(request, (context) => new EraseSubjectCommand(context, id, subjectId.toLowerCase(), body));
  }
}
