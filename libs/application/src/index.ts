/**
 * The write path shared by every command: the command runner (read, fold, decide, append with the
 * revisions read), the stream reader, and the helpers the command slices use.
 */
export * from './command-runner';
export * from './command-support';
export * from './tokens';
