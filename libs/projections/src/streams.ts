import { parseStreamName, type AggregateKind } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';

/**
 * Per aggregate kind, the ids of the streams a batch touches whose rows may already exist: those
 * whose first event in the batch is not the stream's first event. A stream that begins in the
 * batch (revision 0) cannot have a row yet, so projectors skip loading it (most of a rebuild).
 */
export function streamsToLoad(events: readonly RecordedEvent[]): Map<AggregateKind, Set<string>> {
  const seen = new Set<string>();
  const toLoad = new Map<AggregateKind, Set<string>>();
  for (const event of events) {
    if (seen.has(event.stream)) continue;
    seen.add(event.stream);
    if (event.revision === 0) continue;
    const stream = parseStreamName(event.stream);
    if (!stream) continue;
    let ids = toLoad.get(stream.kind);
    if (!ids) toLoad.set(stream.kind, (ids = new Set()));
    ids.add(stream.id);
  }
  return toLoad;
}

/** Whether any event of the batch is in a stream of these kinds. */
export function touchesKinds(events: readonly RecordedEvent[], kinds: readonly AggregateKind[]): boolean {
  return events.some((event) => kinds.some((kind) => event.stream.startsWith(`${kind}-`)));
}
