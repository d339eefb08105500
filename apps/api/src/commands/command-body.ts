/**
 * The body of a command's route, derived from the domain command: the command without what the
 * server supplies to every command (`type`, `actor`, `now`, `timeZone`), without the fields named
 * in `NotInBody` (ids the server generates or takes from the path, states the handler reads,
 * fields no route offers), and with the fields named in `Defaulted` optional (the handler fills
 * them when absent, e.g. the caller's only partnership).
 *
 * Each request DTO `implements` its command's body, so a required field added to the command, or a
 * field whose type changes, fails the typecheck until the DTO follows. A DTO may carry more than
 * the body (a webhook's secret, which never reaches the log; the problem a meeting tables).
 */
export type CommandBody<Command, NotInBody extends keyof Command = never, Defaulted extends keyof Command = never> = Omit<
  Command,
  'type' | 'actor' | 'now' | 'timeZone' | NotInBody | Defaulted
> &
  Partial<Pick<Command, Defaulted>>;
