import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@tasking/application';
import type { EraseSubjectRequest } from './erase-subject.request.dto';
import type { SubjectResult } from '../add-subject/add-subject.command';

export class EraseSubjectCommand extends Command<SubjectResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly subjectId: string,
    readonly body: EraseSubjectRequest,
  ) {
    super();
  }
}
