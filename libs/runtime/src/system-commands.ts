import { CommandRunner, type SystemCommands } from '@tasking/application';
import type { EventStore } from '@tasking/event-store';

/** The runtime's one runner of system commands: the command runner over the runtime's (encrypting) store. */
export function openSystemCommands(store: EventStore): SystemCommands {
  const runner = new CommandRunner(store);
  return { run: (ctx, options, work) => runner.run(ctx, options, work) };
}
