/** A domain event: an explicit type string and plain data. Metadata is added by the application. */
export type Event<Type extends string, Data extends Record<string, unknown>> = { type: Type; data: Data };

/** ISO 8601 date-time (with offset) or date, as given by callers; compared through Date.parse. */
export type IsoDateTime = string;
