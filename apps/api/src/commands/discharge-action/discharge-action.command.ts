import { Command } from '@nestjs/cqrs';
import type { DischargeResult } from '@tasking/domain';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface DischargeActionInput {
  result: DischargeResult;
  note: string;
  dischargedAt?: string;
}

export class DischargeActionCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly actionId: string,
    readonly input: DischargeActionInput,
  ) {
    super();
  }
}
