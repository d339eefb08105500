import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { AddSubjectRequest } from './add-subject.request.dto';

/** The problem's id and revision, and the id of the subject added. */
export type SubjectResult = CommandResult & { subjectId: string };

export class AddSubjectCommand extends Command<SubjectResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly body: AddSubjectRequest,
  ) {
    super();
  }
}
