import { randomUUID } from 'node:crypto';
import type { EventData, EventOfType } from '@tasking/domain';
import type { AppendResult, EventStore } from '@tasking/event-store';
import { appendEvents, type AppendOptions } from './events';
import { PARTNERSHIP } from './fixtures';

/** An imported police record in Enfield Town (no personal field, so any store takes it). */
export const incidentRecorded = (incidentId: string, data: Partial<EventData<'IncidentRecorded'>> = {}): EventOfType<'IncidentRecorded'> => ({
  type: 'IncidentRecorded',
  data: {
    incidentId,
    partnership: PARTNERSHIP,
    source: 'police',
    externalId: `crime-${incidentId}`,
    category: 'drugs',
    sourceCategory: 'Drugs',
    occurredAt: '2025-03-04T21:15:00Z',
    occurredPrecision: 'exact',
    location: { lat: 51.652, lng: -0.081, lsoaCode: 'E01001467', areaCode: 'enfield-town' },
    unmapped: false,
    channel: 'import',
    triage: false,
    contentHash: `hash-${incidentId}`,
    ...data,
  },
});

/** Appends an IncidentRecorded to a new incident stream, as the record command and imports do. */
export async function recordIncident(
  store: EventStore,
  data: Partial<EventData<'IncidentRecorded'>> = {},
  options?: AppendOptions,
): Promise<{ incidentId: string; result: AppendResult }> {
  const incidentId = data.incidentId ?? randomUUID();
  const result = await appendEvents(store, `incident-${incidentId}`, [incidentRecorded(incidentId, data)], options);
  return { incidentId, result };
}
