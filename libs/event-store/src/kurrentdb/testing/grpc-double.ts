/**
 * TEST DOUBLE — NOT KurrentDB. An in-process gRPC server (on @grpc/grpc-js) speaking just enough
 * of KurrentDB's client protocol for `@kurrent/kurrentdb-client@1.3.1` to run the event store
 * contract against it where no KurrentDB server can be installed. It is for tests only: it keeps
 * everything in memory, has no security, no cluster, no persistence, no projections. It is one long
 * file because it is one protocol: the services it answers share their stream and position state.
 *
 * Served (with the generated service definitions the client itself ships, so the wire format is
 * the client's own):
 *   - ServerFeatures.GetSupportedMethods — advertises Read, Append, BatchAppend and (unless told
 *     otherwise) the v2 StreamsService.AppendSession of KurrentDB 25.1, with a server version;
 *   - Streams.Append and Streams.BatchAppend (v1) — one stream per append, expected revision /
 *     no stream / any / stream exists, WrongExpectedVersion answers with the current and the
 *     expected state, idempotent re-append of the same event ids at the same expected revision
 *     (the original revision comes back, nothing is written), best-effort deduplication for `any`;
 *   - StreamsService.AppendSession (v2) — atomic append to several streams, StreamRevisionConflict
 *     (FAILED_PRECONDITION) for the first stream whose expected revision does not hold, a stream
 *     listed twice refused. It does NOT deduplicate re-appended ids: whether KurrentDB 25.1 does
 *     for multi-stream appends is not documented, and the adapter must not rely on it;
 *   - Streams.Read — reads of a stream (forwards/backwards, from a revision, stream-not-found)
 *     and of $all (forwards/backwards, from a position inclusive, event-type or stream filters
 *     by regex or prefix), and catch-up subscriptions to $all from a position (exclusive), with
 *     a confirmation, the caught-up message, then live events.
 * Semantics follow the server's documented behaviour (KurrentDB docs, the client's sources);
 * where the docs are silent the double says so above. Log positions are byte-like offsets
 * (commit = the first record of the write, prepare = the record's own), the server's `created`
 * is ticks (100 ns) since the Unix epoch, and MaxAppendSize defaults to the server's 1 MiB.
 *
 * Test controls: `dropSubscriptions()` ends every live subscription with UNAVAILABLE (a dropped
 * connection), `stop()`/`restart()` take the server away and back on the same port,
 * `appendSystemEvent()` writes a `$`-typed event as the server itself would, `calls` counts RPCs
 * (and `batchAppend.appends` the appends sent over the long-lived batch-append stream).
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as featuresGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb';
import * as featuresPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb';
import * as sharedPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import * as statusPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/status_pb';
import * as streamsGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb';
import * as streamsPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import * as v2Errors from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/errors_pb';
import * as v2Grpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/streams_grpc_pb';
import * as v2Pb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v2/streams/streams_pb';
// The protobuf runtime the generated code above is built on (a dependency of the client).
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb';

export interface GrpcDoubleOptions {
  /** Advertised server version. Default '25.1.0-test-double'. */
  serverVersion?: string;
  /** Serve and advertise the v2 multi-stream append (KurrentDB 25.1+). Default true. */
  multiStreamAppend?: boolean;
  /** Advertise v1 BatchAppend (the client then appends through it, as with a real server). Default true. */
  batchAppend?: boolean;
  /** The server's MaxAppendSize in bytes (data + metadata of one append). Default 1 MiB, as KurrentDB. */
  maxAppendSize?: number;
  /** Port to listen on (127.0.0.1 only). Default: any free port. */
  port?: number;
}

/** One record of the double's log. */
export interface DoubleEvent {
  eventId: string;
  stream: string;
  revision: bigint;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  /** Ticks (100 ns) since the Unix epoch. */
  created: bigint;
  commit: bigint;
  prepare: bigint;
}

type Expected = { kind: 'revision'; revision: bigint } | { kind: 'no-stream' } | { kind: 'any' } | { kind: 'exists' };

interface Proposed {
  eventId: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

type Outcome =
  | { kind: 'written'; first: DoubleEvent; last: bigint }
  | { kind: 'idempotent'; last: bigint }
  | { kind: 'conflict'; current: bigint | undefined };

class AppendTooLarge extends Error {
  constructor(
    readonly size: number,
    readonly maxAppendSize: number,
  ) {
    super(`append of ${size} bytes exceeds the maximum append size of ${maxAppendSize} bytes`);
  }
}

interface LiveSubscription {
  call: grpc.ServerWritableStream<streamsPb.ReadReq, streamsPb.ReadResp>;
  matches(event: DoubleEvent): boolean;
}

const TICKS_PER_MS = 10_000n;
const FAILED_PRECONDITION = 9;
const INVALID_ARGUMENT = 3;

function statusError(code: grpc.status, details: string, metadata?: Record<string, string>, statusDetails?: Any): grpc.ServiceError {
  const md = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata ?? {})) md.set(key, value);
  if (statusDetails) {
    const status = new statusPb.Status();
    status.setCode(code as unknown as statusPb.Status.AsObject['code']);
    status.setMessage(details);
    status.setDetails(statusDetails);
    md.set('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  }
  return Object.assign(new Error(details), { code, details, metadata: md }) as grpc.ServiceError;
}

function packAny(message: { serializeBinary(): Uint8Array }, typeName: string): Any {
  const any = new Any();
  any.pack(message.serializeBinary(), typeName);
  return any;
}

function uuidString(uuid: sharedPb.UUID | undefined): string {
  if (!uuid) return randomUUID();
  if (uuid.hasString()) return uuid.getString().toLowerCase();
  // The structured form: two signed 64-bit halves.
  const structured = uuid.getStructured()!;
  const hex = (value: string) => BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, '0');
  const all = hex(structured.getMostSignificantBits()) + hex(structured.getLeastSignificantBits());
  return `${all.slice(0, 8)}-${all.slice(8, 12)}-${all.slice(12, 16)}-${all.slice(16, 20)}-${all.slice(20)}`;
}

function uuidMessage(id: string): sharedPb.UUID {
  const uuid = new sharedPb.UUID();
  uuid.setString(id);
  return uuid;
}

function streamName(identifier: sharedPb.StreamIdentifier | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

function streamIdentifier(name: string): sharedPb.StreamIdentifier {
  const identifier = new sharedPb.StreamIdentifier();
  identifier.setStreamName(Buffer.from(name, 'utf8'));
  return identifier;
}

function comparePositions(a: { commit: bigint; prepare: bigint }, b: { commit: bigint; prepare: bigint }): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare < b.prepare ? -1 : a.prepare > b.prepare ? 1 : 0;
}

export class KurrentDbGrpcDouble {
  readonly calls: Record<string, number> = {};
  private readonly log: DoubleEvent[] = [];
  private readonly streams = new Map<string, DoubleEvent[]>();
  private readonly live = new Set<LiveSubscription>();
  private server: grpc.Server | undefined;
  private nextLogPosition = 0n;
  private boundPort = 0;
  private readonly maxAppendSize: number;

  private constructor(private readonly options: GrpcDoubleOptions) {
    this.maxAppendSize = options.maxAppendSize ?? 1024 * 1024;
    // A fresh server writes its own events first; the adapter must never see them.
    this.appendSystemEvent('$epochs', '$epoch-information');
    this.appendSystemEvent('$users', '$User');
  }

  static async start(options: GrpcDoubleOptions = {}): Promise<KurrentDbGrpcDouble> {
    const double = new KurrentDbGrpcDouble(options);
    await double.listen(options.port ?? 0);
    return double;
  }

  /** A connection string for the client: this double on loopback, without TLS. */
  get url(): string {
    return `kurrentdb://127.0.0.1:${this.boundPort}?tls=false`;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Everything in the log, system events included, in log order. */
  events(): readonly DoubleEvent[] {
    return this.log;
  }

  /** Writes an event as the server itself would (a `$` type in a `$` stream). */
  appendSystemEvent(stream = '$stats-127.0.0.1:2113', type = '$statsCollected'): void {
    this.write([{ stream, events: [{ eventId: randomUUID(), type, contentType: 'application/json', data: Buffer.from('{}'), metadata: new Uint8Array() }] }]);
  }

  /** Ends every live subscription with UNAVAILABLE, as a dropped connection would. Returns how many. */
  dropSubscriptions(): number {
    const dropped = [...this.live];
    this.live.clear();
    for (const subscription of dropped) {
      subscription.call.emit('error', statusError(grpc.status.UNAVAILABLE, 'subscription dropped by the test double'));
    }
    return dropped.length;
  }

  /** Takes the server away (every call fails, connections break); the log is kept. */
  async stop(): Promise<void> {
    this.live.clear();
    const server = this.server;
    this.server = undefined;
    server?.forceShutdown();
  }

  /** Back on the same port, with the same log. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen(this.boundPort);
  }

  private async listen(port: number): Promise<void> {
    const server = new grpc.Server();
    server.addService(featuresGrpc.ServerFeaturesService, { getSupportedMethods: this.count('features', this.getSupportedMethods) });
    server.addService(streamsGrpc.StreamsService, {
      read: this.count('read', this.read),
      append: this.count('append', this.appendV1),
      batchAppend: this.count('batchAppend', this.batchAppend),
      delete: this.count('delete', (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback(statusError(grpc.status.UNIMPLEMENTED, 'not in the test double'))),
      tombstone: this.count('tombstone', (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback(statusError(grpc.status.UNIMPLEMENTED, 'not in the test double'))),
    });
    if (this.options.multiStreamAppend !== false) {
      server.addService(v2Grpc.StreamsServiceService, {
        appendSession: this.count('appendSession', this.appendSession),
        append: this.count('appendV2', (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
          callback(statusError(grpc.status.UNIMPLEMENTED, 'not in the test double'))),
        appendRecords: this.count('appendRecords', (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
          callback(statusError(grpc.status.UNIMPLEMENTED, 'not in the test double'))),
      });
    }
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    // grpc-js leaves Nagle on for server sockets: a read's last message and its trailers would then
    // wait for the client's delayed ACK (about 40 ms a call). KurrentDB's server sends at once;
    // so does the double (reaching into grpc-js's private list of its HTTP/2 servers).
    const http2Servers = (server as unknown as { http2Servers?: Map<{ on(event: 'connection', listener: (socket: import('node:net').Socket) => void): void }, unknown> })
      .http2Servers;
    for (const http2Server of http2Servers?.keys() ?? []) http2Server.on('connection', (socket) => socket.setNoDelay(true));
    this.server = server;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private count<F extends (...args: any[]) => void>(name: string, handler: F): F {
    return ((...args: Parameters<F>) => {
      this.calls[name] = (this.calls[name] ?? 0) + 1;
      handler.apply(this, args);
    }) as F;
  }

  // ---- server features -------------------------------------------------------------------

  private getSupportedMethods(_call: unknown, callback: grpc.sendUnaryData<featuresPb.SupportedMethods>): void {
    const methods = new featuresPb.SupportedMethods();
    methods.setEventStoreServerVersion(this.options.serverVersion ?? '25.1.0-test-double');
    const add = (service: string, method: string, features: string[] = []) => {
      const supported = new featuresPb.SupportedMethod();
      supported.setServiceName(service.toLowerCase());
      supported.setMethodName(method.toLowerCase());
      supported.setFeaturesList(features);
      methods.addMethods(supported);
    };
    add('event_store.client.streams.Streams', 'Read', ['position', 'events', 'all']);
    add('event_store.client.streams.Streams', 'Append');
    if (this.options.batchAppend !== false) add('event_store.client.streams.Streams', 'BatchAppend');
    if (this.options.multiStreamAppend !== false) add('kurrentdb.protocol.v2.streams.StreamsService', 'AppendSession');
    callback(null, methods);
  }

  // ---- the log ---------------------------------------------------------------------------

  private current(stream: string): bigint | undefined {
    const events = this.streams.get(stream);
    return events && events.length > 0 ? BigInt(events.length - 1) : undefined;
  }

  /** The last revision when `ids` already sit in `stream` from revision `first` on, one after another. */
  private alreadyAt(stream: string, first: bigint, ids: string[]): bigint | undefined {
    const events = this.streams.get(stream) ?? [];
    if (first < 0n || first + BigInt(ids.length) > BigInt(events.length)) return undefined;
    return ids.every((id, i) => events[Number(first) + i].eventId === id) ? first + BigInt(ids.length) - 1n : undefined;
  }

  /**
   * The server's expected-revision check for one stream. `idempotent` (the v1 appends) replays a
   * re-append of the same ids at the same expected revision, and for `any` an append whose ids
   * already sit one after another in the stream.
   */
  private check(stream: string, expected: Expected, ids: string[], idempotent: boolean): Outcome | { kind: 'ok' } {
    const current = this.current(stream);
    switch (expected.kind) {
      case 'revision': {
        if (current === expected.revision) return { kind: 'ok' };
        const replayed = idempotent && current !== undefined && current > expected.revision ? this.alreadyAt(stream, expected.revision + 1n, ids) : undefined;
        return replayed !== undefined ? { kind: 'idempotent', last: replayed } : { kind: 'conflict', current };
      }
      case 'no-stream': {
        if (current === undefined) return { kind: 'ok' };
        const replayed = idempotent ? this.alreadyAt(stream, 0n, ids) : undefined;
        return replayed !== undefined ? { kind: 'idempotent', last: replayed } : { kind: 'conflict', current };
      }
      case 'exists':
        return current === undefined ? { kind: 'conflict', current } : { kind: 'ok' };
      case 'any': {
        if (idempotent && current !== undefined) {
          const index = (this.streams.get(stream) ?? []).findIndex((e) => e.eventId === ids[0]);
          const replayed = index >= 0 ? this.alreadyAt(stream, BigInt(index), ids) : undefined;
          if (replayed !== undefined) return { kind: 'idempotent', last: replayed };
        }
        return { kind: 'ok' };
      }
    }
  }

  private sizeOf(writes: { events: Proposed[] }[]): number {
    return writes.reduce((sum, w) => sum + w.events.reduce((s, e) => s + e.data.length + e.metadata.length, 0), 0);
  }

  /** Writes the events of one append (one or several streams) as one transaction; returns the first record. */
  private write(writes: { stream: string; events: Proposed[] }[]): DoubleEvent {
    const commit = this.nextLogPosition;
    const created = BigInt(Date.now()) * TICKS_PER_MS;
    const written: DoubleEvent[] = [];
    for (const { stream, events } of writes) {
      const existing = this.streams.get(stream) ?? [];
      this.streams.set(stream, existing);
      for (const proposed of events) {
        const prepare = this.nextLogPosition;
        // Each record takes room in the transaction file: positions are offsets, not counters.
        this.nextLogPosition += BigInt(64 + stream.length + proposed.type.length + proposed.data.length + proposed.metadata.length);
        const event: DoubleEvent = { ...proposed, stream, revision: BigInt(existing.length), created, commit, prepare };
        existing.push(event);
        this.log.push(event);
        written.push(event);
      }
    }
    for (const subscription of this.live) {
      for (const event of written) if (subscription.matches(event)) subscription.call.write(this.readEvent(event, true));
    }
    return written[0];
  }

  /** A v1 single-stream append (Append or BatchAppend). */
  private appendOne(stream: string, expected: Expected, events: Proposed[]): Outcome {
    const size = this.sizeOf([{ events }]);
    if (size > this.maxAppendSize) throw new AppendTooLarge(size, this.maxAppendSize);
    const outcome = this.check(stream, expected, events.map((e) => e.eventId), true);
    if (outcome.kind !== 'ok') return outcome;
    const first = this.write([{ stream, events }]);
    return { kind: 'written', first, last: this.current(stream)! };
  }

  // ---- v1 appends ------------------------------------------------------------------------

  private proposedV1(message: streamsPb.AppendReq.ProposedMessage | streamsPb.BatchAppendReq.ProposedMessage): Proposed {
    const metadata = message.getMetadataMap();
    return {
      eventId: uuidString(message.getId()),
      type: metadata.get('type') ?? '',
      contentType: metadata.get('content-type') ?? 'application/octet-stream',
      data: message.getData_asU8(),
      metadata: message.getCustomMetadata_asU8(),
    };
  }

  private appendV1(call: grpc.ServerReadableStream<streamsPb.AppendReq, streamsPb.AppendResp>, callback: grpc.sendUnaryData<streamsPb.AppendResp>): void {
    let options: streamsPb.AppendReq.Options | undefined;
    const events: Proposed[] = [];
    call.on('data', (request: streamsPb.AppendReq) => {
      if (request.hasOptions()) options = request.getOptions();
      else if (request.hasProposedMessage()) events.push(this.proposedV1(request.getProposedMessage()!));
    });
    call.on('end', () => {
      if (!options) return callback(statusError(grpc.status.INVALID_ARGUMENT, 'append without options'));
      const stream = streamName(options.getStreamIdentifier());
      const expected: Expected = options.hasRevision()
        ? { kind: 'revision', revision: BigInt(options.getRevision()) }
        : options.hasNoStream()
          ? { kind: 'no-stream' }
          : options.hasStreamExists()
            ? { kind: 'exists' }
            : { kind: 'any' };
      let outcome: Outcome;
      try {
        outcome = this.appendOne(stream, expected, events);
      } catch (error) {
        if (!(error instanceof AppendTooLarge)) throw error;
        return callback(
          statusError(grpc.status.INVALID_ARGUMENT, error.message, {
            exception: 'maximum-append-size-exceeded',
            'maximum-append-size': String(error.maxAppendSize),
          }),
        );
      }
      const response = new streamsPb.AppendResp();
      if (outcome.kind === 'conflict') {
        const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
        if (outcome.current === undefined) wrong.setCurrentNoStream(new sharedPb.Empty());
        else wrong.setCurrentRevision(outcome.current.toString());
        if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
        else if (expected.kind === 'no-stream') wrong.setExpectedNoStream(new sharedPb.Empty());
        else if (expected.kind === 'exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
        else wrong.setExpectedAny(new sharedPb.Empty());
        response.setWrongExpectedVersion(wrong);
      } else {
        const success = new streamsPb.AppendResp.Success();
        success.setCurrentRevision(outcome.last.toString());
        if (outcome.kind === 'written') {
          const position = new streamsPb.AppendResp.Position();
          position.setCommitPosition(outcome.first.commit.toString());
          position.setPreparePosition(outcome.first.prepare.toString());
          success.setPosition(position);
        } else {
          success.setNoPosition(new sharedPb.Empty());
        }
        response.setSuccess(success);
      }
      callback(null, response);
    });
  }

  private batchAppend(call: grpc.ServerDuplexStream<streamsPb.BatchAppendReq, streamsPb.BatchAppendResp>): void {
    const pending = new Map<string, { options?: streamsPb.BatchAppendReq.Options; events: Proposed[] }>();
    call.on('data', (request: streamsPb.BatchAppendReq) => {
      const correlation = uuidString(request.getCorrelationId());
      const entry = pending.get(correlation) ?? { events: [] };
      pending.set(correlation, entry);
      if (request.hasOptions()) entry.options = request.getOptions();
      for (const message of request.getProposedMessagesList()) entry.events.push(this.proposedV1(message));
      if (!request.getIsFinal()) return;
      pending.delete(correlation);
      this.calls['batchAppend.appends'] = (this.calls['batchAppend.appends'] ?? 0) + 1;

      const options = entry.options!;
      const stream = streamName(options.getStreamIdentifier());
      const expected: Expected = options.hasStreamPosition()
        ? { kind: 'revision', revision: BigInt(options.getStreamPosition()) }
        : options.hasNoStream()
          ? { kind: 'no-stream' }
          : options.hasStreamExists()
            ? { kind: 'exists' }
            : { kind: 'any' };
      const response = new streamsPb.BatchAppendResp();
      response.setCorrelationId(uuidMessage(correlation));
      response.setStreamIdentifier(streamIdentifier(stream));
      let outcome: Outcome;
      try {
        outcome = this.appendOne(stream, expected, entry.events);
      } catch (error) {
        if (!(error instanceof AppendTooLarge)) throw error;
        const tooLarge = new sharedPb.MaximumAppendSizeExceeded();
        tooLarge.setMaxappendsize(error.maxAppendSize);
        const status = new statusPb.Status();
        status.setCode(INVALID_ARGUMENT as unknown as statusPb.Status.AsObject['code']);
        status.setMessage(error.message);
        status.setDetails(packAny(tooLarge, 'event_store.client.MaximumAppendSizeExceeded'));
        response.setError(status);
        call.write(response);
        return;
      }
      if (outcome.kind === 'conflict') {
        const wrong = new sharedPb.WrongExpectedVersion();
        if (outcome.current === undefined) wrong.setCurrentNoStream(new GoogleEmpty());
        else wrong.setCurrentStreamRevision(outcome.current.toString());
        if (expected.kind === 'revision') wrong.setExpectedStreamPosition(expected.revision.toString());
        else if (expected.kind === 'no-stream') wrong.setExpectedNoStream(emptyMessage());
        else if (expected.kind === 'exists') wrong.setExpectedStreamExists(emptyMessage());
        else wrong.setExpectedAny(emptyMessage());
        const status = new statusPb.Status();
        status.setCode(FAILED_PRECONDITION as unknown as statusPb.Status.AsObject['code']);
        status.setMessage(`WrongExpectedVersion for stream ${stream}`);
        status.setDetails(packAny(wrong, 'event_store.client.WrongExpectedVersion'));
        response.setError(status);
      } else {
        const success = new streamsPb.BatchAppendResp.Success();
        success.setCurrentRevision(outcome.last.toString());
        if (outcome.kind === 'written') {
          const position = new sharedPb.AllStreamPosition();
          position.setCommitPosition(outcome.first.commit.toString());
          position.setPreparePosition(outcome.first.prepare.toString());
          success.setPosition(position);
        } else {
          success.setNoPosition(emptyMessage());
        }
        response.setSuccess(success);
      }
      call.write(response);
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  }

  // ---- v2 multi-stream append ------------------------------------------------------------

  private appendSession(
    call: grpc.ServerReadableStream<v2Pb.AppendRequest, v2Pb.AppendSessionResponse>,
    callback: grpc.sendUnaryData<v2Pb.AppendSessionResponse>,
  ): void {
    const requests: v2Pb.AppendRequest[] = [];
    call.on('data', (request: v2Pb.AppendRequest) => requests.push(request));
    call.on('end', () => {
      const seen = new Set<string>();
      const writes: { stream: string; expected: Expected; expectedRaw: string; events: Proposed[] }[] = [];
      for (const request of requests) {
        const stream = request.getStream();
        if (seen.has(stream)) {
          return callback(statusError(grpc.status.INVALID_ARGUMENT, `stream ${stream} is already in this append session`));
        }
        seen.add(stream);
        const expectedRaw = (request.hasExpectedRevision() ? request.getExpectedRevision() : undefined) ?? '-2';
        const raw = BigInt(expectedRaw);
        const expected: Expected =
          raw === -1n ? { kind: 'no-stream' } : raw === -2n ? { kind: 'any' } : raw === -4n ? { kind: 'exists' } : { kind: 'revision', revision: raw };
        const events = request.getRecordsList().map((record): Proposed => {
          const properties: Record<string, unknown> = {};
          record.getPropertiesMap().forEach((value, key) => {
            properties[key] = value?.toJavaScript();
          });
          const json = record.getSchema()?.getFormat() === v2Pb.SchemaFormat.SCHEMA_FORMAT_JSON;
          return {
            eventId: (record.getRecordId() ?? randomUUID()).toLowerCase(),
            type: record.getSchema()?.getName() ?? '',
            contentType: json ? 'application/json' : 'application/octet-stream',
            data: record.getData_asU8(),
            // Properties are stored as the record's JSON metadata (string values, as the client requires).
            metadata: Object.keys(properties).length > 0 ? Buffer.from(JSON.stringify(properties), 'utf8') : new Uint8Array(),
          };
        });
        writes.push({ stream, expected, expectedRaw, events });
      }
      const size = this.sizeOf(writes);
      if (size > this.maxAppendSize) {
        const details = new v2Errors.AppendTransactionSizeExceededErrorDetails();
        details.setSize(size);
        details.setMaxSize(this.maxAppendSize);
        return callback(
          statusError(grpc.status.ABORTED, `append session of ${size} bytes exceeds ${this.maxAppendSize}`, undefined,
            packAny(details, 'kurrentdb.protocol.v2.streams.errors.AppendTransactionSizeExceededErrorDetails')),
        );
      }
      for (const write of writes) {
        const outcome = this.check(write.stream, write.expected, write.events.map((e) => e.eventId), false);
        if (outcome.kind === 'conflict') {
          const details = new v2Errors.StreamRevisionConflictErrorDetails();
          details.setStream(write.stream);
          details.setExpectedRevision(write.expectedRaw);
          details.setActualRevision((outcome.current ?? -1n).toString());
          return callback(
            statusError(grpc.status.FAILED_PRECONDITION, `stream revision conflict on ${write.stream}`, undefined,
              packAny(details, 'kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails')),
          );
        }
      }
      const first = this.write(writes);
      const response = new v2Pb.AppendSessionResponse();
      for (const write of writes) {
        const output = new v2Pb.AppendResponse();
        output.setStream(write.stream);
        output.setStreamRevision(this.current(write.stream)!.toString());
        response.addOutput(output);
      }
      response.setPosition(first.commit.toString());
      callback(null, response);
    });
  }

  // ---- reads and subscriptions -----------------------------------------------------------

  private readEvent(event: DoubleEvent, withPosition: boolean): streamsPb.ReadResp {
    const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent();
    recorded.setId(uuidMessage(event.eventId));
    recorded.setStreamIdentifier(streamIdentifier(event.stream));
    recorded.setStreamRevision(event.revision.toString());
    recorded.setCommitPosition(event.commit.toString());
    recorded.setPreparePosition(event.prepare.toString());
    const metadata = recorded.getMetadataMap();
    metadata.set('type', event.type);
    metadata.set('content-type', event.contentType);
    metadata.set('created', event.created.toString());
    recorded.setCustomMetadata(event.metadata);
    recorded.setData(event.data);
    const readEvent = new streamsPb.ReadResp.ReadEvent();
    readEvent.setEvent(recorded);
    if (withPosition) readEvent.setCommitPosition(event.commit.toString());
    else readEvent.setNoPosition(new sharedPb.Empty());
    const response = new streamsPb.ReadResp();
    response.setEvent(readEvent);
    return response;
  }

  private filterOf(options: streamsPb.ReadReq.Options): (event: DoubleEvent) => boolean {
    if (!options.hasFilter()) return () => true;
    const filter = options.getFilter()!;
    const onType = filter.hasEventType();
    const expression = onType ? filter.getEventType()! : filter.getStreamIdentifier()!;
    const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : undefined;
    const prefixes = expression.getPrefixList();
    return (event) => {
      const subject = onType ? event.type : event.stream;
      if (regex) return regex.test(subject);
      return prefixes.length === 0 || prefixes.some((prefix) => subject.startsWith(prefix));
    };
  }

  private read(call: grpc.ServerWritableStream<streamsPb.ReadReq, streamsPb.ReadResp>): void {
    const options = call.request.getOptions()!;
    const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
    const subscription = options.getCountOptionCase() === streamsPb.ReadReq.Options.CountOptionCase.SUBSCRIPTION;
    const count = subscription ? Number.POSITIVE_INFINITY : Number(BigInt(options.getCount() || '0'));

    if (options.hasStream()) {
      if (subscription) return void call.emit('error', statusError(grpc.status.UNIMPLEMENTED, 'stream subscriptions are not in the test double'));
      const streamOptions = options.getStream()!;
      const stream = streamName(streamOptions.getStreamIdentifier());
      const events = this.streams.get(stream);
      if (!events || events.length === 0) {
        const notFound = new streamsPb.ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamIdentifier(stream));
        const response = new streamsPb.ReadResp();
        response.setStreamNotFound(notFound);
        call.write(response);
        return void call.end();
      }
      let selected: DoubleEvent[];
      if (backwards) {
        const from = streamOptions.hasRevision() ? Number(streamOptions.getRevision()) : events.length - 1;
        selected = events.slice(0, Math.min(from, events.length - 1) + 1).reverse();
      } else {
        const from = streamOptions.hasRevision() ? Number(streamOptions.getRevision()) : streamOptions.hasEnd() ? events.length : 0;
        selected = events.slice(from);
      }
      for (const event of selected.slice(0, count)) call.write(this.readEvent(event, false));
      return void call.end();
    }

    const all = options.getAll()!;
    const matches = this.filterOf(options);
    const at = all.hasPosition()
      ? { commit: BigInt(all.getPosition()!.getCommitPosition()), prepare: BigInt(all.getPosition()!.getPreparePosition()) }
      : undefined;

    if (subscription) {
      const confirmation = new streamsPb.ReadResp.SubscriptionConfirmation();
      confirmation.setSubscriptionId(randomUUID());
      const confirmed = new streamsPb.ReadResp();
      confirmed.setConfirmation(confirmation);
      call.write(confirmed);
      // Catch-up from a position is exclusive of it; from the end there is nothing to catch up.
      const catchUp = all.hasEnd() ? [] : this.log.filter((e) => (at ? comparePositions(e, at) > 0 : true));
      for (const event of catchUp) if (matches(event)) call.write(this.readEvent(event, true));
      const caughtUp = new streamsPb.ReadResp();
      caughtUp.setCaughtUp(new streamsPb.ReadResp.CaughtUp());
      call.write(caughtUp);
      const live: LiveSubscription = { call, matches };
      this.live.add(live);
      call.on('cancelled', () => this.live.delete(live));
      call.on('close', () => this.live.delete(live));
      return;
    }

    let selected: DoubleEvent[];
    if (backwards) {
      // Backwards from a position: the events before it; from the end: all of them.
      selected = this.log.filter((e) => (at && !all.hasEnd() ? comparePositions(e, at) < 0 : true)).reverse();
    } else {
      // Forwards from a position: inclusive of it.
      selected = all.hasEnd() ? [] : this.log.filter((e) => (at ? comparePositions(e, at) >= 0 : true));
    }
    let sent = 0;
    for (const event of selected) {
      if (sent >= count) break;
      if (!matches(event)) continue;
      call.write(this.readEvent(event, true));
      sent++;
    }
    call.end();
  }
}

function emptyMessage(): GoogleEmpty {
  return new GoogleEmpty();
}
