/**
 * A domain event: an explicit type string and plain data. Metadata is added by the application;
 * folds of stored events also hand over `recordedAt` (when the command layer recorded it), which
 * deciders never produce.
 */
export type Event<Type extends string, Data extends Record<string, unknown>> = { type: Type; data: Data; recordedAt?: IsoDateTime };

/** ISO 8601 date-time (with offset) or date, as given by callers; compared through Date.parse. */
export type IsoDateTime = string;

/**
 * Exhaustiveness for evolve switches: fails to compile when a case is missing. At run time an event
 * type this version does not know only moves the revision on.
 */
export const unknownEvent = (_event: never): void => undefined;

/** Exhaustiveness for decide switches: fails to compile when a command is missing. */
export const unknownCommand = (command: never): never => {
  throw new Error(`unknown command ${JSON.stringify(command)}`);
};
