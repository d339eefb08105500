import type { Event, IsoDateTime } from '../event';

export type Attendee = { name: string; agency: string };

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
