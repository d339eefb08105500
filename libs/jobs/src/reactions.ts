import type { EventStore, RecordedEvent } from '@tasking/event-store';
import type { Clock } from '@tasking/shared';
import { foldAction } from './notifications/notification-payload';
import { deadlineJobId, notificationJobId, type DeadlineJobData, type NotificationJobData, type QueueKind } from './queues';

export interface PlannedJob {
  queue: QueueKind;
  name: string;
  data: NotificationJobData | DeadlineJobData;
  jobId: string;
  /** Deadlines: when the due date falls (ms since the epoch). */
  runAt?: number;
}

const actionIdOf = (event: RecordedEvent): string => event.stream.slice('action-'.length);

/**
 * The jobs an event calls for, with ids derived from the event, so adding them again after a
 * crash or an outage adds nothing new:
 * - ActionAssigned: notify the agency; a deadline job for the due date set at this revision;
 * - ActionReassigned: notify the new agency;
 * - ActionDueDateChanged: a deadline job for the new due date (the old job finds itself superseded);
 * - ActionEscalated: notify the agency the action stood with when it escalated.
 */
export async function jobsFor(events: readonly RecordedEvent[], store: EventStore): Promise<PlannedJob[]> {
  const jobs: PlannedJob[] = [];
  const notify = (event: RecordedEvent, agency: string) => {
    const data: NotificationJobData = {
      eventId: event.eventId,
      type: event.type as NotificationJobData['type'],
      stream: event.stream,
      revision: event.revision,
      recordedAt: event.recordedAt,
      actionId: actionIdOf(event),
      agency,
    };
    jobs.push({ queue: 'notifications', name: event.type, data, jobId: notificationJobId(event.eventId, agency) });
  };
  const deadline = (event: RecordedEvent, dueBy: string) => {
    const data: DeadlineJobData = { actionId: actionIdOf(event), dueBy, dueByRevision: event.revision };
    jobs.push({ queue: 'deadlines', name: 'deadline', data, jobId: deadlineJobId(data.actionId, event.revision), runAt: Date.parse(dueBy) });
  };
  for (const event of events) {
    if (!event.stream.startsWith('action-')) continue;
    switch (event.type) {
      case 'ActionAssigned':
        notify(event, String(event.data['agency']));
        deadline(event, String(event.data['dueBy']));
        break;
      case 'ActionReassigned':
        notify(event, String(event.data['toAgency']));
        break;
      case 'ActionDueDateChanged':
        deadline(event, String(event.data['dueBy']));
        break;
      case 'ActionEscalated': {
        const before = (await store.read(event.stream)).filter((e) => e.revision < event.revision);
        const action = foldAction(before);
        if (action.status !== 'none') notify(event, action.agency);
        break;
      }
      default:
        break;
    }
  }
  return jobs;
}

/** The delay of a deadline job by the injected clock (never negative). */
export const delayUntil = (runAt: number | undefined, clock: Clock): number => (runAt === undefined ? 0 : Math.max(0, runAt - clock.now().getTime()));
