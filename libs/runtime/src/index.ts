/** The composition root both apps open: config to an opened runtime, and the tokens it is injected by. */
export * from './runtime';
export * from './create-jobs';
export * from './tokens';
export * from './schema';
