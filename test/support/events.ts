import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@tasking/domain';
import type { AppendResult, EventStore, ExpectedRevision } from '@tasking/event-store';

/** The actor recorded in test events' metadata. */
export const TEST_ACTOR = { userId: 'u-inspector', name: 'Insp Jane Hart', agency: 'POLICE', role: 'inspector' } as const;

export interface AppendOptions {
  /** metadata.recordedAt (default now). */
  recordedAt?: string;
  actor?: Record<string, unknown>;
  /** Default 'any'. */
  expectedRevision?: ExpectedRevision;
}

/** Metadata as the command runner writes it. */
export function testMetadata(options: AppendOptions = {}): Record<string, unknown> {
  const id = randomUUID();
  return {
    recordedAt: options.recordedAt ?? new Date().toISOString(),
    actor: options.actor ?? TEST_ACTOR,
    causationId: id,
    correlationId: id,
    schemaVersion: 1,
  };
}

/**
 * Appends domain events to one stream, straight to the store (no command routes): the way tests
 * set up state for the read side.
 */
export function appendEvents(store: EventStore, stream: string, events: readonly DomainEvent[], options: AppendOptions = {}): Promise<AppendResult> {
  const metadata = testMetadata(options);
  return store.append([
    {
      stream,
      expectedRevision: options.expectedRevision ?? 'any',
      events: events.map((event) => ({ eventId: randomUUID(), type: event.type, data: event.data as Record<string, unknown>, metadata })),
    },
  ]);
}

/** Appends to several streams atomically (e.g. ActionAgreed with ActionAssigned). */
export function appendAtomically(
  store: EventStore,
  appends: readonly { stream: string; events: readonly DomainEvent[] }[],
  options: AppendOptions = {},
): Promise<AppendResult> {
  const metadata = testMetadata(options);
  return store.append(
    appends.map(({ stream, events }) => ({
      stream,
      expectedRevision: 'any' as const,
      events: events.map((event) => ({ eventId: randomUUID(), type: event.type, data: event.data as Record<string, unknown>, metadata })),
    })),
  );
}
