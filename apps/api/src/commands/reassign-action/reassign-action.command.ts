import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface ReassignActionInput {
  agency: string;
  reason: string;
  dueBy?: string;
}

export class ReassignActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly input: ReassignActionInput,
  ) {
    super();
  }
}
