import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface ScheduleMeetingInput {
  groupCode: string;
  heldOn: string;
  chair: string;
  partnership?: string;
}

export class ScheduleMeetingCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly input: ScheduleMeetingInput,
  ) {
    super();
  }
}
