import { Command } from '@nestjs/cqrs';
import type { Priority, ProblemCategory, ProblemLocation, ProblemSource } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface RaiseProblemInput {
  title: string;
  description: string;
  category: ProblemCategory;
  location: ProblemLocation;
  priority?: Priority;
  source?: ProblemSource;
  groupCode?: string;
  partnership?: string;
  raisedAt?: string;
}

export class RaiseProblemCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly input: RaiseProblemInput,
  ) {
    super();
  }
}
