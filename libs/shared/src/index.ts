export * from './config';
export * from './clock';
export * from './ids';
export * from './problem';
