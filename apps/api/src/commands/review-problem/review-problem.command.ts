import { Command } from '@nestjs/cqrs';
import type { Rag } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface ReviewProblemInput {
  rag: Rag;
  note: string;
  meetingId?: string;
}

export class ReviewProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly problemId: string,
    readonly input: ReviewProblemInput,
  ) {
    super();
  }
}
