export * from './principal';
export * from './token-verifier';
export * from './dev-token';
export * from './auth.guard';
export * from './current-principal.decorator';
