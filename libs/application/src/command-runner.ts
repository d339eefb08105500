import { createHmac } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Principal } from '@tasking/auth';
import { problemReference, referencePrefix, referenceYear, rolesOf, type CommandType, type FieldError } from '@tasking/domain';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type AppendRequest,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@tasking/event-store';
import { ApiError, newId, statusOf, uuidV5, type ErrorCode } from '@tasking/shared';
import { COMMAND_RUNNER_OPTIONS, EVENT_STORE } from './tokens';

/** What a command needs to know about the request that carried it. */
export interface CommandContext {
  principal: Principal;
  now: Date;
  correlationId: string;
  /** The revision the client last saw of the aggregate named in the path. */
  ifMatch?: number;
  idempotency?: { key: string; method: string; path: string; bodyHash: string };
  /**
   * Epoch ms after which the caller has been answered 503 (REQUEST_DEADLINE_MS): the command then
   * appends nothing. An append already under way may still commit; Idempotency-Key makes the retry safe.
   */
  deadline?: number;
}

export interface SystemContext {
  system: string;
  now: Date;
  correlationId: string;
}

export interface CommandResult {
  id: string;
  revision: number;
  position: Position;
}

export interface PlannedEvent {
  type: string;
  data: object;
}

export interface CommandPlan {
  /** The aggregate the response names: its id and stream. */
  target: { id: string; stream: string };
  /** Events per stream; streams the reader did not load must not exist yet. */
  appends: { stream: string; events: readonly PlannedEvent[] }[];
}

/** A decider's refusal: a stable code (domain.md), a message naming the rule, and for VALIDATION_FAILED the fields at fault. */
export interface DomainRefusal {
  code: ErrorCode;
  message: string;
  errors?: FieldError[];
}

/** Reads streams for one attempt and remembers the revision of each, for the append's expectations. */
export class StreamReader {
  private readonly revisions = new Map<string, number>();
  private readonly lastPositions = new Map<string, Position>();
  private readonly fetched = new Map<string, RecordedEvent[]>();
  private readonly lastRecordedAt = new Map<string, string>();

  constructor(private readonly store: EventStore) {}

  /**
   * Folds a stream with a domain evolve function. The store holds only events the deciders
   * produced, so each recorded event is handed over as the aggregate's event type; an event type
   * this version does not know only moves the revision on (the domain's evolve functions do that).
   */
  async load<S, E extends { type: string; data: object; recordedAt?: string }>(stream: string, evolve: (state: S, event: E) => S, initial: S): Promise<S> {
    const events = await this.events(stream);
    return events.reduce((state, event) => evolve(state, { type: event.type, data: event.data, recordedAt: recordedAtOf(event) } as E), initial);
  }

  /**
   * Reads these streams in one round trip; the `load` or `events` of each that follows takes them
   * from here. For commands that need several aggregates (and know which before deciding).
   */
  async prefetch(streams: readonly string[]): Promise<void> {
    const wanted = streams.filter((stream) => !this.fetched.has(stream));
    if (wanted.length === 0) return;
    for (const [stream, events] of await this.store.readStreams(wanted)) this.fetched.set(stream, events);
  }

  async events(stream: string): Promise<RecordedEvent[]> {
    const events = this.fetched.get(stream) ?? (await this.store.read(stream));
    this.remember(stream, events);
    return events;
  }

  revisionOf(stream: string): number | undefined {
    return this.revisions.get(stream);
  }

  /** When the stream's last event was recorded (undefined for an empty or unread stream). */
  lastRecordedAtOf(stream: string): string | undefined {
    return this.lastRecordedAt.get(stream);
  }

  positionOf(stream: string): Position | undefined {
    return this.lastPositions.get(stream);
  }

  private remember(stream: string, events: RecordedEvent[]): void {
    const last = events[events.length - 1];
    this.revisions.set(stream, last ? last.revision : -1);
    if (last) {
      this.lastPositions.set(stream, last.position);
      this.lastRecordedAt.set(stream, recordedAtOf(last));
    }
  }
}

export type CommandWork = (reader: StreamReader) => Promise<CommandPlan | DomainRefusal>;

export interface RunOptions {
  /**
   * The domain command's type, recorded in metadata. Its roles (COMMAND_ROLES) are the deciders'
   * to check; the first of them the caller holds is recorded as the actor's role.
   */
  name: CommandType;
  /** The stream of the aggregate named in the path, checked against If-Match (the response names `plan.target`). */
  targetStream?: string;
}

/** What the runner takes from the runtime (COMMAND_RUNNER_OPTIONS). */
export interface CommandRunnerOptions {
  /** Keys the Idempotency-Key body hash kept in event metadata (the personal-data body-hash key). */
  bodyHashKey?: Buffer;
  /** The zone of bare dates in commands (TIME_ZONE); default UTC. */
  timeZone?: string;
  /** Issues case reference numbers; absent, problems are raised without a reference. */
  referenceNumbers?: ReferenceNumbers;
  /** Case reference prefixes by partnership code (REFERENCE_PREFIXES); others derive theirs from the code. */
  referencePrefixes?: Readonly<Record<string, string>>;
}

/**
 * A counter per partnership and year: `next` answers a number no earlier call for the same
 * partnership and year answered (libs/domain, problem/reference.ts).
 */
export interface ReferenceNumbers {
  next(partnership: string, year: number): Promise<number>;
}

const MAX_ATTEMPTS = 5;
const IDEMPOTENCY_SCAN = 256;

const isRefusal = (value: CommandPlan | DomainRefusal): value is DomainRefusal => 'code' in value;

/** A refusal as the HTTP error it is mapped to once, here, for every command. */
export function refusalError(refusal: DomainRefusal): ApiError {
  const errors = refusal.errors && refusal.errors.length > 0 ? refusal.errors : undefined;
  return new ApiError(refusal.code, refusal.message, statusOf(refusal.code) === 400 ? errors : undefined);
}

/**
 * Read streams, fold, decide, append with the revisions read: the one write path of every command.
 * Event ids derive from the idempotency key (or a fresh command id), so a retried or concurrent
 * duplicate finds the first one's events instead of appending again.
 */
@Injectable()
export class CommandRunner {
  private readonly bodyHashKey: Buffer | undefined;
  /** The zone of bare dates in commands (TIME_ZONE). */
  readonly timeZone: string;
  private readonly referenceNumbers: ReferenceNumbers | undefined;
  private readonly referencePrefixes: Readonly<Record<string, string>>;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Optional() @Inject(COMMAND_RUNNER_OPTIONS) options: CommandRunnerOptions = {}) {
    this.bodyHashKey = options.bodyHashKey;
    this.timeZone = options.timeZone ?? 'UTC';
    this.referenceNumbers = options.referenceNumbers;
    this.referencePrefixes = options.referencePrefixes ?? {};
  }

  /**
   * The partnership's next case reference for the year of `now` (`SAFE-2026-0142`); each call
   * issues a new number. Undefined when no counter is configured.
   */
  async issueReference(partnership: string, now: string): Promise<string | undefined> {
    if (this.referenceNumbers === undefined) return undefined;
    const year = referenceYear(now);
    return problemReference(referencePrefix(partnership, this.referencePrefixes[partnership]), year, await this.referenceNumbers.next(partnership, year));
  }

  async run(ctx: CommandContext | SystemContext, options: RunOptions, work: CommandWork): Promise<CommandResult> {
    const commandId = newId();
    const principal = 'principal' in ctx ? ctx.principal : undefined;
    const idempotency = 'principal' in ctx ? ctx.idempotency : undefined;
    const idBase = idempotency && principal ? idempotencyBase(principal.userId, idempotency) : commandId;
    const eventId = (index: number) => uuidV5(`${idBase}\n${index}`);
    // Keyed, so the hash in the log cannot confirm a guess at a body (a subject's name and date of birth).
    const bodyHash = idempotency && this.bodyHashKey ? createHmac('sha256', this.bodyHashKey).update(idempotency.bodyHash).digest('hex') : idempotency?.bodyHash;

    const ifMatch = 'principal' in ctx ? ctx.ifMatch : undefined;
    for (let attempt = 1; ; attempt += 1) {
      if (idempotency || attempt > 1) {
        const earlier = await this.earlierResult(eventId, bodyHash);
        if (earlier) return earlier;
      }
      const reader = new StreamReader(this.store);
      const decided = await work(reader);
      if (isRefusal(decided)) {
        // A concurrent duplicate may have appended since the look-up above; its events are the
        // answer (e.g. a second "claim" with the same key must not see ACTION_ALREADY_CLAIMED).
        if (idempotency) {
          const earlier = await this.earlierResult(eventId, bodyHash);
          if (earlier) return earlier;
        }
        throw refusalError(decided);
      }
      if (ifMatch !== undefined && options.targetStream) {
        const current = reader.revisionOf(options.targetStream) ?? -1;
        if (current !== ifMatch) {
          throw new ApiError('WRONG_EXPECTED_REVISION', `the resource is at revision ${current}, not ${ifMatch}: read it again`);
        }
      }

      const appends = decided.appends.filter((a) => a.events.length > 0);
      const count = appends.reduce((n, a) => n + a.events.length, 0);
      if (count === 0) {
        return {
          id: decided.target.id,
          revision: reader.revisionOf(decided.target.stream) ?? -1,
          position: reader.positionOf(decided.target.stream) ?? '',
        };
      }
      const recordedAt = recordedAtFor(reader, appends, ctx.now);
      const metadata = this.metadata(ctx, options, commandId, decided.target.stream, count, bodyHash, recordedAt);
      let index = 0;
      const requests: AppendRequest[] = appends.map((a) => {
        const known = reader.revisionOf(a.stream);
        return {
          stream: a.stream,
          expectedRevision: known === undefined || known === -1 ? 'no-stream' : known,
          events: a.events.map((e) => ({ eventId: eventId(index++), type: e.type, data: e.data as Record<string, unknown>, metadata })),
        };
      });
      const deadline = 'principal' in ctx ? ctx.deadline : undefined;
      if (deadline !== undefined && Date.now() >= deadline) {
        throw new ApiError('SERVICE_UNAVAILABLE', 'the request did not finish in time; nothing was recorded', undefined, { 'retry-after': '5' });
      }
      try {
        const result = await this.store.append(requests);
        if (idempotency) {
          // The store answers a re-append of ids already stored at the same place as a success;
          // a concurrent request with the same key but another body lands here too: tell them apart.
          const recorded = await this.earlierResult(eventId, bodyHash);
          if (recorded) return recorded;
        }
        const target = decided.target.stream;
        return { id: decided.target.id, revision: result.revisions[target] ?? reader.revisionOf(target) ?? -1, position: result.position };
      } catch (error) {
        const retriable = error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError;
        if (!retriable) throw error;
        if (error instanceof WrongExpectedRevisionError && ifMatch !== undefined && error.stream === options.targetStream) {
          throw new ApiError('WRONG_EXPECTED_REVISION', 'the resource changed while this command ran: read it again');
        }
        if (attempt >= MAX_ATTEMPTS) {
          const earlier = await this.earlierResult(eventId, bodyHash);
          if (earlier) return earlier;
          throw new ApiError('WRONG_EXPECTED_REVISION', 'too many concurrent changes to the same record: try again');
        }
      }
    }
  }

  /** The response of an earlier run of the same command, found by its derived event ids. */
  private async earlierResult(eventId: (index: number) => string, bodyHash: string | undefined): Promise<CommandResult | undefined> {
    const [first] = await this.store.findByEventIds([eventId(0)]);
    if (!first) return undefined;
    const command = first.metadata['command'] as { target: string; count: number } | undefined;
    const recordedHash = (first.metadata['idempotency'] as { bodyHash?: string } | undefined)?.bodyHash;
    if (bodyHash !== undefined && recordedHash !== bodyHash) {
      throw new ApiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different body');
    }
    const count = Math.min(command?.count ?? 1, IDEMPOTENCY_SCAN);
    const events = count > 1 ? await this.store.findByEventIds(Array.from({ length: count }, (_, i) => eventId(i))) : [first];
    const target = command?.target ?? first.stream;
    const inTarget = events.filter((e) => e.stream === target);
    const position = events.reduce((max, e) => (e.position > max ? e.position : max), '');
    const revision = inTarget.length > 0 ? Math.max(...inTarget.map((e) => e.revision)) : -1;
    return { id: aggregateId(target), revision, position };
  }

  private metadata(
    ctx: CommandContext | SystemContext,
    options: RunOptions,
    commandId: string,
    target: string,
    count: number,
    bodyHash: string | undefined,
    recordedAt: Date,
  ): Record<string, unknown> {
    const actor =
      'principal' in ctx
        ? {
            userId: ctx.principal.userId,
            name: ctx.principal.name,
            agency: ctx.principal.agency,
            role: rolesOf(options.name).find((r) => ctx.principal.roles.includes(r)) ?? ctx.principal.roles[0] ?? 'none',
          }
        : { system: ctx.system };
    return {
      recordedAt: recordedAt.toISOString(),
      actor,
      causationId: commandId,
      correlationId: ctx.correlationId,
      schemaVersion: 1,
      command: { id: commandId, name: options.name, target, count },
      ...(bodyHash ? { idempotency: { bodyHash } } : {}),
    };
  }
}

/** What an Idempotency-Key is scoped to: the caller, the method and the path (api.md). */
export const idempotencyBase = (userId: string, idempotency: { key: string; method: string; path: string }): string =>
  `${userId}\n${idempotency.method}\n${idempotency.path}\n${idempotency.key}`;

/**
 * When the command layer recorded an event (its metadata's `recordedAt`, the clock the deciders
 * judge by; the store's own append time when the metadata lacks it).
 */
export const recordedAtOf = (event: RecordedEvent): string => {
  const recordedAt = event.metadata['recordedAt'];
  return typeof recordedAt === 'string' && !Number.isNaN(Date.parse(recordedAt)) ? recordedAt : event.recordedAt;
};

/**
 * How far a command's clock may read behind the last event of a stream it appends to and still be
 * recorded (at that event's time): a command that began before a concurrent one committed, or
 * another instance's clock a little ahead of this one's.
 */
export const RECORDED_AT_CLAMP_MS = 10_000;
/** Retry-After of CLOCK_BEHIND. */
const CLOCK_BEHIND_RETRY_SECONDS = 5;

/**
 * An event's recordedAt never precedes the previous event of its stream (docs/security.md, "Times
 * and clocks"). Within RECORDED_AT_CLAMP_MS the command is recorded at that event's time; further
 * behind, the clock was set back and the command is refused with 503 CLOCK_BEHIND rather than
 * stamped with a time that would put the stream's history out of order.
 */
function recordedAtFor(reader: StreamReader, appends: readonly { stream: string }[], now: Date): Date {
  let floor = now.getTime();
  for (const { stream } of appends) {
    const last = reader.lastRecordedAtOf(stream);
    if (last === undefined || Date.parse(last) <= floor) continue;
    if (Date.parse(last) - now.getTime() > RECORDED_AT_CLAMP_MS) {
      throw new ApiError(
        'CLOCK_BEHIND',
        `the server's clock (${now.toISOString()}) reads earlier than the last event of ${stream} (${last}): nothing was recorded; try again once the clock is right`,
        undefined,
        { 'Retry-After': String(CLOCK_BEHIND_RETRY_SECONDS) },
      );
    }
    floor = Date.parse(last);
  }
  return new Date(floor);
}

/** `problem-<uuid>` -> `<uuid>`; `agency-POLICE` -> `POLICE`. */
export const aggregateId = (stream: string): string => stream.slice(stream.indexOf('-') + 1);
