import { personalFieldsOf, parseStreamName, ERASED, type PersonalDataKey } from '@tasking/domain';
import {
  InvalidAppendError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type Position,
  type RecordedEvent,
  type SubscribeOptions,
} from '@tasking/event-store';
import type { DataKeys, WriteKey } from './data-keys';
import { isSealed, mapStringsAt, open, seal, sealedAt, sealedKeyId, updateAt, type Sealed } from './field-crypto';

/**
 * The event store as everything above it sees it: personal fields (PERSONAL_DATA_FIELDS of
 * @tasking/domain) are encrypted on append, each subject's under its own data key and a
 * problem's free text (its own and its actions') under the problem's key, and decrypted on every
 * read (read, readAll, subscribeAll, findByEventIds). A field whose key was erased reads as
 * `[erased]`. The log itself holds only ciphertext for those fields, so erasing a key
 * (crypto-shredding) makes them unreadable without rewriting any event.
 *
 * - Actions' events need their problem's key: the mapping action -> problem is recorded when an
 *   ActionAssigned is appended (before the append, so it exists whenever the event does).
 * - An incident's fields go under the incident's own key (key id = the incident id). Once that key
 *   is erased, text appended to the incident is stored as `[erased]`: its retention has ended.
 * - Appending SubjectErased destroys the subject's key; appending ProblemPersonalDataErased
 *   destroys every key of the problem, IncidentPersonalDataErased the incident's key (after the
 *   append commits; the commands erase again, idempotently, so a crash in between is repaired by
 *   a retry or the next sweep).
 * - Reads that contain SubjectErased or IncidentPersonalDataErased show that subject's or
 *   incident's fields as erased whatever any cache holds, and forget cached keys of problems
 *   erased by ProblemPersonalDataErased.
 * - Metadata is never touched (it holds no personal data: actor, ids, the body hash).
 */
const ERASURES: readonly string[] = ['ProblemPersonalDataErased', 'SubjectErased', 'IncidentPersonalDataErased'];

export class EncryptingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly keys: DataKeys,
  ) {}

  async append(requests: AppendRequest[]): Promise<AppendResult> {
    for (const request of requests) {
      const erasure = request.events.findIndex((e) => ERASURES.includes(e.type));
      if (erasure >= 0 && erasure < request.events.length - 1) {
        // The keys go once the append commits: text after the erasure in the same append would go with them.
        throw new InvalidAppendError(`${request.events[erasure]!.type} must be the last event of its stream in an append`);
      }
    }
    const assigned = requests.flatMap((request) =>
      request.events.filter((e) => e.type === 'ActionAssigned').map((e) => ({ actionId: parseStreamName(request.stream)?.id ?? '', problemId: String(e.data['problemId']) })),
    );
    await this.keys.rememberActionProblems(assigned.filter((a) => a.actionId !== ''));
    const encrypted = await Promise.all(requests.map((request) => this.encryptRequest(request, assigned)));
    const result = await this.inner.append(encrypted);
    await this.eraseKeysOf(requests);
    return result;
  }

  async read(stream: string, fromRevision?: number): Promise<RecordedEvent[]> {
    return this.decrypt(await this.inner.read(stream, fromRevision));
  }

  async readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const byStream = await this.inner.readStreams(streams);
    const opened = await this.decrypt([...byStream.values()].flat());
    let next = 0;
    for (const [stream, events] of byStream) byStream.set(stream, opened.slice(next, (next += events.length)));
    return byStream;
  }

  async readAll(after: Position, batchSize: number): Promise<RecordedEvent[]> {
    return this.decrypt(await this.inner.readAll(after, batchSize));
  }

  async *subscribeAll(after: Position, options?: SubscribeOptions): AsyncIterable<RecordedEvent> {
    for await (const event of this.inner.subscribeAll(after, options)) {
      const [decrypted] = await this.decrypt([event]);
      yield decrypted!;
    }
  }

  async findByEventIds(eventIds: string[]): Promise<RecordedEvent[]> {
    return this.decrypt(await this.inner.findByEventIds(eventIds));
  }

  headPosition(): Promise<Position> {
    return this.inner.headPosition();
  }

  hasEventsAfter(after: Position): Promise<boolean> {
    return this.inner.hasEventsAfter(after);
  }

  appendTick(): number {
    return this.inner.appendTick();
  }

  waitForAppend(sinceTick: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.inner.waitForAppend(sinceTick, timeoutMs, signal);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async encryptRequest(request: AppendRequest, assigned: readonly { actionId: string; problemId: string }[]): Promise<AppendRequest> {
    if (!request.events.some((event) => personalFieldsOf(event.type).length > 0)) return request;
    const stream = parseStreamName(request.stream);
    const events: EventToAppend[] = [];
    for (const event of request.events) {
      const fields = personalFieldsOf(event.type);
      if (fields.length === 0) {
        events.push(event);
        continue;
      }
      const data = structuredClone(event.data);
      for (const field of fields) {
        // Resolve the key only when the field holds text (an optional field may be absent).
        let present = false;
        mapStringsAt(data, field.path, (value) => {
          present = true;
          return value;
        });
        if (!present) continue;
        const writeKey = await this.writeKey(field.key, stream, event, assigned);
        if (writeKey === null) {
          mapStringsAt(data, field.path, () => ERASED);
          continue;
        }
        const { keyId, key } = writeKey;
        mapStringsAt(data, field.path, (value, path) => seal(value, keyId, key, event.eventId, path));
      }
      events.push({ ...event, data });
    }
    return { ...request, events };
  }

  private async writeKey(
    scope: PersonalDataKey,
    stream: ReturnType<typeof parseStreamName>,
    event: EventToAppend,
    assigned: readonly { actionId: string; problemId: string }[],
  ): Promise<WriteKey | null> {
    if (scope === 'incident') {
      if (stream?.kind !== 'incident') throw new InvalidAppendError(`${event.type}: incident fields belong in an incident's stream`);
      return this.keys.incidentKey(stream.id);
    }
    const problemId = await this.problemOf(stream, assigned);
    if (scope === 'subject') {
      const subjectId = event.data['subjectId'];
      if (typeof subjectId !== 'string') throw new InvalidAppendError(`${event.type} needs a subjectId to encrypt its personal fields`);
      return this.keys.subjectKey(subjectId, problemId);
    }
    return this.keys.problemKey(problemId);
  }

  /** The problem whose key covers a stream's text: the problem itself, or an action's problem. */
  private async problemOf(stream: ReturnType<typeof parseStreamName>, assigned: readonly { actionId: string; problemId: string }[]): Promise<string> {
    if (stream?.kind === 'problem') return stream.id;
    if (stream?.kind === 'action') {
      const problemId = assigned.find((a) => a.actionId === stream.id)?.problemId ?? (await this.keys.problemsOfActions([stream.id])).get(stream.id);
      if (problemId) return problemId;
      throw new InvalidAppendError(`action ${stream.id} has no known problem (no ActionAssigned): its text cannot be encrypted`);
    }
    throw new InvalidAppendError(`personal fields in stream ${stream ? `${stream.kind}-${stream.id}` : '(unknown)'} have no problem key to go under`);
  }

  private async eraseKeysOf(requests: readonly AppendRequest[]): Promise<void> {
    for (const request of requests) {
      const stream = parseStreamName(request.stream);
      for (const event of request.events) {
        if (event.type === 'SubjectErased' && typeof event.data['subjectId'] === 'string') await this.keys.eraseSubject(event.data['subjectId']);
        if (event.type === 'ProblemPersonalDataErased' && stream?.kind === 'problem') await this.keys.eraseProblem(stream.id);
        if (event.type === 'IncidentPersonalDataErased' && stream?.kind === 'incident') await this.keys.eraseIncident(stream.id);
      }
    }
  }

  /**
   * Opens the personal fields where PERSONAL_DATA_FIELDS puts them (the only places this layer
   * seals): events of other types pass untouched and unwalked. A path may be added to that map,
   * never taken out, or events written before would keep a sealed value there.
   */
  private async decrypt(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const sealedIn = events.map((event) => {
      const fields = personalFieldsOf(event.type);
      if (fields.length === 0) return [];
      const found: { path: string; sealed: Sealed }[] = [];
      for (const field of fields) sealedAt(event.data, field.path, found);
      return found;
    });
    if (sealedIn.every((found) => found.length === 0)) return events;
    // Erasures in the batch itself (subjects, incidents): whatever any cache says, those fields are gone.
    const erasedKeys = new Set(events.filter((e) => e.type === 'SubjectErased').map((e) => String(e.data['subjectId'])));
    for (const e of events) {
      const stream = e.type === 'IncidentPersonalDataErased' ? parseStreamName(e.stream) : undefined;
      if (stream?.kind === 'incident') erasedKeys.add(stream.id);
    }
    this.keys.forgetProblems(
      events.filter((e) => e.type === 'ProblemPersonalDataErased').flatMap((e) => {
        const stream = parseStreamName(e.stream);
        return stream?.kind === 'problem' ? [stream.id] : [];
      }),
    );
    const keyIds = sealedIn.flatMap((found) => found.map(({ sealed }) => sealedKeyId(sealed) ?? '')).filter((id) => id !== '' && !erasedKeys.has(id));
    const keys = await this.keys.keysFor(keyIds);
    return events.map((event, i) => {
      const found = sealedIn[i]!;
      if (found.length === 0) return event;
      const openOne = (sealed: Sealed, path: string): string => {
        const keyId = sealedKeyId(sealed);
        if (keyId === undefined || erasedKeys.has(keyId)) return ERASED;
        return open(sealed, keys.get(keyId), event.eventId, path);
      };
      let data: unknown = event.data;
      for (const field of personalFieldsOf(event.type)) {
        data = updateAt(data, field.path, (value, path) => (isSealed(value) ? openOne(value, path) : value));
      }
      return { ...event, data: data as Record<string, unknown> };
    });
  }
}
