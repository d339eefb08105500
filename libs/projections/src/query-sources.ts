/**
 * What query handlers read, as Nest injection tokens: the application provides them (the read
 * models and the event store it opened) and handlers inject only the one they use.
 */

/** `ReadModels`: the read-model tables. */
export const READ_MODELS = Symbol('READ_MODELS');

/**
 * `EventStore`: the log as queries read it (personal fields decrypted, `[erased]` once erased): the
 * runtime's store as opened, not the API's metered EVENT_STORE (the API's metrics read it too).
 */
export const EVENT_LOG = Symbol('EVENT_LOG');

/** `ProjectionRunner`: the projections' checkpoints and lag. */
export const PROJECTIONS = Symbol('PROJECTIONS');

/** A keyset position after which a page continues: the last row's (time as ISO text, id). */
export type TimeIdKey = readonly [string, string];
