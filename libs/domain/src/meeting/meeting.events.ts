import type { Event, IsoDateTime } from '../event';

export const ATTENDANCE_STATUSES = ['present', 'apologies'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/**
 * One person's attendance: present unless `status` says they sent apologies; `deputisingFor` names
 * the member a deputy attends in place of. Records before apologies were kept have neither field.
 */
export type Attendee = { name: string; agency: string; status?: AttendanceStatus; deputisingFor?: string };

export type MeetingScheduled = Event<
  'MeetingScheduled',
  {
    meetingId: string;
    partnership: string;
    groupCode: string;
    heldOn: IsoDateTime;
    chair: string;
  }
>;

/** The attendees recorded by this command; a later record adds to earlier ones. */
export type MeetingAttendanceRecorded = Event<'MeetingAttendanceRecorded', { attendees: Attendee[] }>;

export type MeetingClosed = Event<'MeetingClosed', { minutesNote: string }>;

export type MeetingEvent = MeetingScheduled | MeetingAttendanceRecorded | MeetingClosed;

const meetingEventTypes: Record<MeetingEvent['type'], true> = {
  MeetingScheduled: true,
  MeetingAttendanceRecorded: true,
  MeetingClosed: true,
};
export const MEETING_EVENT_TYPES = Object.keys(meetingEventTypes) as readonly MeetingEvent['type'][];
