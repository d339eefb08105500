export * from './config';
export * from './clock';
export * from './ids';
export * from './error-codes';
export * from './problem';
