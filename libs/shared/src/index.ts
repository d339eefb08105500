export * from './config';
export * from './clock';
export * from './clock-guard';
export * from './ids';
export * from './error-codes';
export * from './problem';
