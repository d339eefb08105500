import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';

export interface RegisterGroupInput {
  code: string;
  name: string;
  partnership?: string;
  areaCodes: string[];
}

export class RegisterGroupCommand extends Command<CommandResult> {
  constructor(
    readonly context: CommandContext,
    readonly input: RegisterGroupInput,
  ) {
    super();
  }
}
