import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandResult } from '@tasking/application';
import type { RegisterOpen311ClientRequest } from './register-open311-client.request.dto';

/** The result carries the new key, once; a repeat of the same request (Idempotency-Key) does not. */
export class RegisterOpen311ClientCommand extends Command<CommandResult & { apiKey?: string }> {
  constructor(
    readonly context: CommandContext,
    readonly body: RegisterOpen311ClientRequest,
  ) {
    super();
  }
}
