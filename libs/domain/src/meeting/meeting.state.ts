import { unknownEvent, type IsoDateTime } from '../event';
import type { Attendee, MeetingEvent } from './meeting.events';

export type NoMeeting = { status: 'none'; revision: number };

export type ExistingMeeting = {
  status: 'open' | 'closed';
  /** 0-based index of the last event folded. */
  revision: number;
  meetingId: string;
  partnership: string;
  groupCode: string;
  heldOn: IsoDateTime;
  chair: string;
  /** Everyone recorded, present or with apologies, without repeats (same name and agency): the first record of each counts. */
  attendees: Attendee[];
  minutesNote?: string;
};

export type MeetingState = NoMeeting | ExistingMeeting;

export const initialMeetingState: MeetingState = { status: 'none', revision: -1 };

const sameAttendee = (a: Attendee, b: Attendee): boolean => a.name === b.name && a.agency === b.agency;

export function evolveMeeting(state: MeetingState, event: MeetingEvent): MeetingState {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'MeetingScheduled': {
      const { meetingId, partnership, groupCode, heldOn, chair } = event.data;
      return { status: 'open', revision, meetingId, partnership, groupCode, heldOn, chair, attendees: [] };
    }
    case 'MeetingAttendanceRecorded': {
      if (state.status === 'none') return { ...state, revision };
      const attendees = [...state.attendees];
      for (const attendee of event.data.attendees) {
        if (!attendees.some((a) => sameAttendee(a, attendee))) attendees.push({ ...attendee });
      }
      return { ...state, revision, attendees };
    }
    case 'MeetingClosed':
      return state.status === 'none' ? { ...state, revision } : { ...state, status: 'closed', revision, minutesNote: event.data.minutesNote };
    default:
      unknownEvent(event);
      return { ...state, revision };
  }
}
