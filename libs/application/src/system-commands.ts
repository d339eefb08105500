import type { CommandResult, CommandWork, RunOptions, SystemContext } from './command-runner';

/**
 * Commands the system runs on its own behalf, under a SystemContext: the deadlines' escalations and
 * the retention sweep's erasures. The runtime implements it once, over the command runner and the
 * store it opened; whoever runs a system command receives it rather than building a runner.
 */
export interface SystemCommands {
  run(ctx: SystemContext, options: RunOptions, work: CommandWork): Promise<CommandResult>;
}
