import { asDomainEvent, parseStreamName, type AttendanceStatus } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import { RowBatch, utc } from '../sql';

/** A row of `meetings`. */
export interface MeetingRow {
  [column: string]: unknown;
  id: string;
  partnership: string;
  group_code: string;
  /** As scheduled: a date or a date-time. */
  held_on: string;
  /** held_on as an instant (a bare date is UTC midnight), for ordering and windows. */
  held_at: string;
  chair: string;
  status: 'open' | 'closed';
  minutes_note: string | null;
  revision: number;
  position: string;
}

/** A row of `meeting_attendees`: the first record of a (name, agency) at a meeting wins. */
export interface AttendeeRow {
  [column: string]: unknown;
  meeting_id: string;
  name: string;
  agency: string;
  /** Position of the event that recorded the attendee, then its index in the event: the order shown. */
  position: string;
  ordinal: number;
  status: AttendanceStatus;
  deputising_for: string | null;
}

/** A row of `meeting_problems`: a problem tabled at a meeting (from the problem's ProblemTabled). */
export interface TabledProblemRow {
  [column: string]: unknown;
  meeting_id: string;
  problem_id: string;
  position: string;
}

export const MEETINGS_TABLE = { name: 'meetings', key: 'id', keyType: 'uuid' } as const;

export class MeetingsBatch {
  readonly meetings = new RowBatch<MeetingRow>(MEETINGS_TABLE);
  readonly attendees: AttendeeRow[] = [];
  readonly tabled: TabledProblemRow[] = [];
}

export function foldMeetingsEvent(batch: MeetingsBatch, recorded: RecordedEvent): void {
  const stream = parseStreamName(recorded.stream);
  const event = asDomainEvent(recorded);
  if (!stream || !event) return;
  const at = { revision: recorded.revision, position: recorded.position };
  if (stream.kind === 'problem') {
    if (event.type === 'ProblemTabled') {
      batch.tabled.push({ meeting_id: event.data.meetingId, problem_id: stream.id, position: recorded.position });
    }
    return;
  }
  if (stream.kind !== 'meeting') return;
  const id = stream.id;
  switch (event.type) {
    case 'MeetingScheduled':
      batch.meetings.put(id, {
        id,
        partnership: event.data.partnership,
        group_code: event.data.groupCode,
        held_on: event.data.heldOn,
        held_at: utc(event.data.heldOn),
        chair: event.data.chair,
        status: 'open',
        minutes_note: null,
        ...at,
      });
      return;
    case 'MeetingAttendanceRecorded':
      event.data.attendees.forEach((attendee, ordinal) => {
        batch.attendees.push({
          meeting_id: id,
          name: attendee.name,
          agency: attendee.agency,
          position: recorded.position,
          ordinal,
          status: attendee.status ?? 'present',
          deputising_for: attendee.deputisingFor ?? null,
        });
      });
      batch.meetings.patch(id, at);
      return;
    case 'MeetingClosed':
      batch.meetings.patch(id, { ...at, status: 'closed', minutes_note: event.data.minutesNote });
      return;
    default:
      return;
  }
}
