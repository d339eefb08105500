export const RUNTIME = Symbol('RUNTIME');
export const EVENT_STORE = Symbol('EVENT_STORE');
