/**
 * The server check made at start: the kurrentdb store appends to several streams atomically
 * through KurrentDB's multi-stream append (the v2 `StreamsService/AppendSession` call, KurrentDB
 * 25.1 and later) and refuses to start against a server that does not advertise it.
 */
export const MULTI_STREAM_APPEND = { path: '/kurrentdb.protocol.v2.streams.StreamsService/AppendSession' } as const;
export const MINIMUM_VERSION = '25.1';

/** What the client learns from the server's `ServerFeatures/GetSupportedMethods` call. */
export interface AdvertisedFeatures {
  /** The server's version, or 'unknown' when it answered UNIMPLEMENTED (EventStoreDB before 21). */
  serverVersion: string;
  supports(method: { path: string }, feature?: string): boolean;
}

export class UnsupportedServerError extends Error {
  readonly code = 'KURRENTDB_UNSUPPORTED';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedServerError';
  }
}

/** [major, minor] of a version such as "25.1.0.1234" or "v24.10.0-rc1"; undefined if it has none. */
export function parseVersion(version: string): [number, number] | undefined {
  const match = /(\d{1,9})\.(\d{1,9})/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function olderThanMinimum(version: [number, number]): boolean {
  const [major, minor] = parseVersion(MINIMUM_VERSION)!;
  return version[0] < major || (version[0] === major && version[1] < minor);
}

/** Throws UnsupportedServerError, naming the server and its version, unless it can append to several streams at once. */
export function checkServerFeatures(features: AdvertisedFeatures, where: string): void {
  const version = features.serverVersion || 'unknown';
  const parsed = parseVersion(version);
  const advertised = features.supports(MULTI_STREAM_APPEND);
  if (!advertised || (parsed !== undefined && olderThanMinimum(parsed))) {
    throw new UnsupportedServerError(
      `KurrentDB at ${where} (server version ${version}) does not offer multi-stream append: ` +
        `the kurrentdb event store needs KurrentDB ${MINIMUM_VERSION} or later to append to several streams atomically. ` +
        'Upgrade the server, or leave EVENT_STORE_URL unset to keep the events in PostgreSQL.',
    );
  }
}

/** The hosts of a connection string, without credentials or options: safe to print. */
export function describeConnection(url: string): string {
  const match = /^([a-z+]+):\/\/(?:[^@/]*@)?([^/?]*)/i.exec(url);
  return match ? `${match[1]}://${match[2]}` : 'the configured URL';
}

/** The client's own scheme for the deprecated esdb:// ones (same meaning, no deprecation warning). */
export function normalizeConnectionString(url: string): string {
  return url.replace(/^esdb(\+discover)?:\/\//i, (_, discover: string | undefined) => `kurrentdb${discover ?? ''}://`);
}
