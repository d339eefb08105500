/** The event store commands append to and queries read (the runtime's, metered in the API). */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** The command runner's options (CommandRunnerOptions): the body-hash key and the time zone. */
export const COMMAND_RUNNER_OPTIONS = Symbol('COMMAND_RUNNER_OPTIONS');
