import { Command } from '@nestjs/cqrs';
import type { SubjectRole } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface AddSubjectInput {
  role: SubjectRole;
  name: string;
  dateOfBirth?: string;
  address?: string;
  notes?: string;
}

/** The problem's id and revision, and the id of the subject added. */
export type SubjectResult = CommandResult & { subjectId: string };

export class AddSubjectCommand extends Command<SubjectResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly input: AddSubjectInput,
  ) {
    super();
  }
}
