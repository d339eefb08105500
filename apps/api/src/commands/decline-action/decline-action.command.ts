import { Command } from '@nestjs/cqrs';
import type { DeclineReasonCode } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface DeclineActionInput {
  reasonCode: DeclineReasonCode;
  note: string;
}

export class DeclineActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly input: DeclineActionInput,
  ) {
    super();
  }
}
