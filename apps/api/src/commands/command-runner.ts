import { Inject, Injectable } from '@nestjs/common';
import type { Principal, Role } from '@tasking/auth';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type AppendRequest,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@tasking/event-store';
import { ApiError, newId, uuidV5 } from '@tasking/shared';
import { EVENT_STORE } from '../tokens';

/** What a command needs to know about the request that carried it. */
export interface CommandContext {
  principal: Principal;
  now: Date;
  correlationId: string;
  /** The revision the client last saw of the aggregate named in the path. */
  ifMatch?: number;
  idempotency?: { key: string; method: string; path: string; bodyHash: string };
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
  appends: { stream: string; events: PlannedEvent[] }[];
}

export interface DomainRefusal {
  code: string;
  message: string;
}

/** Reads streams for one attempt and remembers the revision of each, for the append's expectations. */
export class StreamReader {
  private readonly revisions = new Map<string, number>();
  private readonly lastPositions = new Map<string, Position>();

  constructor(private readonly store: EventStore) {}

  async load<S>(stream: string, evolve: (state: S, event: { type: string; data: never }) => S, initial: S): Promise<S> {
    const events = await this.store.read(stream);
    this.remember(stream, events);
    return events.reduce((state, event) => evolve(state, event as unknown as { type: string; data: never }), initial);
  }

  async events(stream: string): Promise<RecordedEvent[]> {
    const events = await this.store.read(stream);
    this.remember(stream, events);
    return events;
  }

  revisionOf(stream: string): number | undefined {
    return this.revisions.get(stream);
  }

  positionOf(stream: string): Position | undefined {
    return this.lastPositions.get(stream);
  }

  private remember(stream: string, events: RecordedEvent[]): void {
    const last = events[events.length - 1];
    this.revisions.set(stream, last ? last.revision : -1);
    if (last) this.lastPositions.set(stream, last.position);
  }
}

export type CommandWork = (reader: StreamReader) => Promise<CommandPlan | DomainRefusal>;

export interface RunOptions {
  /** A stable name of the command, recorded in metadata. */
  name: string;
  /** The roles that may run it; the first the caller holds is recorded as the actor's role. */
  roles: Role[];
  /** The stream named in the path, checked against If-Match. */
  targetStream?: string;
}

const MAX_ATTEMPTS = 5;
const IDEMPOTENCY_SCAN = 256;

/** Maps a refusal code to its HTTP status once, for every command. */
export const REFUSAL_STATUS: Record<string, number> = {
  PROBLEM_CLOSED: 409,
  PROBLEM_NOT_CLOSED: 409,
  ACTIONS_OUTSTANDING: 409,
  ACTION_CLOSED: 409,
  ACTION_ALREADY_CLAIMED: 409,
  ACTION_NOT_CLAIMED: 409,
  ACTION_ALREADY_DECLINED: 409,
  MEETING_CLOSED: 409,
  ALREADY_EXISTS: 409,
  WRONG_EXPECTED_REVISION: 409,
  FORBIDDEN_ROLE: 403,
  WRONG_AGENCY: 403,
  NOT_CLAIMANT: 403,
  UNKNOWN_AGENCY: 422,
  AGENCY_INACTIVE: 422,
  UNKNOWN_TACTIC: 422,
  UNKNOWN_AREA: 422,
  UNKNOWN_GROUP: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  NOT_CAUGHT_UP: 503,
  SERVICE_UNAVAILABLE: 503,
};

const isRefusal = (value: CommandPlan | DomainRefusal): value is DomainRefusal => 'code' in value;

/**
 * Read streams, fold, decide, append with the revisions read: the one write path of every command.
 * Event ids derive from the idempotency key (or a fresh command id), so a retried or concurrent
 * duplicate finds the first one's events instead of appending again.
 */
@Injectable()
export class CommandRunner {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async run(ctx: CommandContext | SystemContext, options: RunOptions, work: CommandWork): Promise<CommandResult> {
    const commandId = newId();
    const idempotency = 'principal' in ctx ? ctx.idempotency : undefined;
    const idBase = idempotency
      ? `${(ctx as CommandContext).principal.userId}\n${idempotency.method}\n${idempotency.path}\n${idempotency.key}`
      : commandId;
    const eventId = (index: number) => uuidV5(`${idBase}\n${index}`);

    const ifMatch = 'principal' in ctx ? ctx.ifMatch : undefined;
    for (let attempt = 1; ; attempt += 1) {
      if (idempotency || attempt > 1) {
        const earlier = await this.earlierResult(eventId, idempotency?.bodyHash);
        if (earlier) return earlier;
      }
      const reader = new StreamReader(this.store);
      const decided = await work(reader);
      if (isRefusal(decided)) throw new ApiError(REFUSAL_STATUS[decided.code] ?? 400, decided.code, decided.message);
      const targetStream = options.targetStream ?? decided.target.stream;
      if (ifMatch !== undefined && options.targetStream) {
        const current = reader.revisionOf(options.targetStream) ?? -1;
        if (current !== ifMatch) {
          throw new ApiError(409, 'WRONG_EXPECTED_REVISION', `the resource is at revision ${current}, not ${ifMatch}: read it again`);
        }
      }

      const appends = decided.appends.filter((a) => a.events.length > 0);
      const count = appends.reduce((n, a) => n + a.events.length, 0);
      if (count === 0) {
        return { id: decided.target.id, revision: reader.revisionOf(decided.target.stream) ?? -1, position: reader.positionOf(decided.target.stream) ?? '' };
      }
      const metadata = this.metadata(ctx, options, commandId, decided.target.stream, count, idempotency?.bodyHash);
      let index = 0;
      const requests: AppendRequest[] = appends.map((a) => {
        const known = reader.revisionOf(a.stream);
        return {
          stream: a.stream,
          expectedRevision: known === undefined || known === -1 ? 'no-stream' : known,
          events: a.events.map((e) => ({ eventId: eventId(index++), type: e.type, data: e.data as Record<string, unknown>, metadata })),
        };
      });
      try {
        const result = await this.store.append(requests);
        return { id: decided.target.id, revision: result.revisions[targetStream] ?? reader.revisionOf(targetStream) ?? -1, position: result.position };
      } catch (error) {
        const retriable = error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError;
        if (!retriable) throw error;
        if (error instanceof WrongExpectedRevisionError && ifMatch !== undefined && error.stream === options.targetStream) {
          throw new ApiError(409, 'WRONG_EXPECTED_REVISION', 'the resource changed while this command ran: read it again');
        }
        if (attempt >= MAX_ATTEMPTS) {
          const earlier = await this.earlierResult(eventId, idempotency?.bodyHash);
          if (earlier) return earlier;
          throw new ApiError(409, 'WRONG_EXPECTED_REVISION', 'too many concurrent changes to the same record: try again');
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
      throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different body');
    }
    const count = Math.min(command?.count ?? 1, IDEMPOTENCY_SCAN);
    const events = count > 1 ? await this.store.findByEventIds(Array.from({ length: count }, (_, i) => eventId(i))) : [first];
    const target = command?.target ?? first.stream;
    const inTarget = events.filter((e) => e.stream === target);
    const position = events.reduce((max, e) => (e.position > max ? e.position : max), '');
    return { id: aggregateId(target), revision: Math.max(...inTarget.map((e) => e.revision)), position };
  }

  private metadata(
    ctx: CommandContext | SystemContext,
    options: RunOptions,
    commandId: string,
    target: string,
    count: number,
    bodyHash: string | undefined,
  ): Record<string, unknown> {
    const actor =
      'principal' in ctx
        ? {
            userId: ctx.principal.userId,
            name: ctx.principal.name,
            agency: ctx.principal.agency,
            role: options.roles.find((r) => ctx.principal.roles.includes(r)) ?? ctx.principal.roles[0] ?? 'none',
          }
        : { system: ctx.system };
    return {
      recordedAt: ctx.now.toISOString(),
      actor,
      causationId: commandId,
      correlationId: ctx.correlationId,
      schemaVersion: 1,
      command: { id: commandId, name: options.name, target, count },
      ...(bodyHash ? { idempotency: { bodyHash } } : {}),
    };
  }
}

/** `problem-<uuid>` -> `<uuid>`; `agency-POLICE` -> `POLICE`. */
export const aggregateId = (stream: string): string => stream.slice(stream.indexOf('-') + 1);
