import { DeciderSpecification } from '../testing/specification';
import { MEETING_ID, NOW, OTHER_PARTNERSHIP, PARTNERSHIP, councilOfficer, groupState, inspector, meetingScheduled, outsideInspector } from '../testing/fixtures';
import { initialGroupState } from '../group/group.state';
import type { MeetingEvent } from './meeting.events';
import { decideMeeting, type ScheduleMeeting } from './meeting.decide';
import { evolveMeeting, initialMeetingState, type MeetingState } from './meeting.state';

const given = DeciderSpecification.for(decideMeeting, evolveMeeting, initialMeetingState);

const schedule = (overrides: Partial<ScheduleMeeting> = {}): ScheduleMeeting => ({
  type: 'ScheduleMeeting',
  actor: inspector,
  now: NOW,
  meetingId: MEETING_ID,
  partnership: PARTNERSHIP,
  groupCode: 'enfield-safe',
  heldOn: '2025-03-05',
  chair: 'Insp Jane Hart',
  group: groupState(),
  ...overrides,
});
const scheduled = meetingScheduled();
const closed: MeetingEvent = { type: 'MeetingClosed', data: { minutesNote: 'Minutes circulated' } };

describe('meeting', () => {
  describe('ScheduleMeeting', () => {
    it('schedules a meeting of a registered group', () => {
      given([]).when(schedule()).then(scheduled);
    });

    it('refuses an unregistered group', () => {
      given([]).when(schedule({ group: initialGroupState })).thenFails('UNKNOWN_GROUP');
    });

    it('refuses a group of another partnership', () => {
      given([]).when(schedule({ group: groupState('enfield-safe', OTHER_PARTNERSHIP) })).thenFails('UNKNOWN_GROUP');
    });

    it('answers not found for a partnership the inspector does not hold', () => {
      given([]).when(schedule({ partnership: OTHER_PARTNERSHIP })).thenFails('NOT_FOUND');
    });

    it('refuses an officer', () => {
      given([]).when(schedule({ actor: councilOfficer })).thenFails('FORBIDDEN_ROLE');
    });

    it('refuses a malformed date', () => {
      given([]).when(schedule({ heldOn: '5th March' })).thenFails('VALIDATION_FAILED');
    });

    it('refuses an id already used', () => {
      given([scheduled]).when(schedule()).thenFails('ALREADY_EXISTS');
    });
  });

  describe('RecordAttendance', () => {
    const attendance = {
      type: 'RecordAttendance',
      actor: inspector,
      now: NOW,
      attendees: [
        { name: 'Insp Jane Hart', agency: 'POLICE' },
        { name: 'Sam Patel', agency: 'COUNCIL-ASB' },
      ],
    } as const;

    it('records attendance', () => {
      given([scheduled])
        .when(attendance)
        .then({ type: 'MeetingAttendanceRecorded', data: { attendees: [...attendance.attendees] } });
    });

    it('records apologies and deputies', () => {
      const attendees = [
        { name: 'Insp Jane Hart', agency: 'POLICE', status: 'present' as const },
        { name: 'Sam Patel', agency: 'COUNCIL-ASB', status: 'apologies' as const },
        { name: 'Chris Okafor', agency: 'COUNCIL-ASB', deputisingFor: 'Sam Patel' },
      ];
      given([scheduled]).when({ ...attendance, attendees }).then({ type: 'MeetingAttendanceRecorded', data: { attendees } });
    });

    it('refuses an unknown status, and a deputy sending apologies', () => {
      const error = given([scheduled])
        .when({ ...attendance, attendees: [{ name: 'A', agency: 'POLICE', status: 'late' as never }, { name: 'B', agency: 'FIRE', status: 'apologies', deputisingFor: 'C' }] })
        .thenFails('VALIDATION_FAILED');
      expect(error.errors?.map((e) => e.field)).toEqual(['attendees[0].status', 'attendees[1].deputisingFor']);
    });

    it('refuses an empty list', () => {
      given([scheduled]).when({ ...attendance, attendees: [] }).thenFails('VALIDATION_FAILED');
    });

    it('refuses a closed meeting', () => {
      given([scheduled, closed]).when(attendance).thenFails('MEETING_CLOSED');
    });

    it('answers not found in another partnership', () => {
      given([scheduled]).when({ ...attendance, actor: outsideInspector }).thenFails('NOT_FOUND');
    });

    it('refuses an officer', () => {
      given([scheduled]).when({ ...attendance, actor: councilOfficer }).thenFails('FORBIDDEN_ROLE');
    });
  });

  describe('CloseMeeting', () => {
    const close = { type: 'CloseMeeting', actor: inspector, now: NOW, minutesNote: 'Minutes circulated' } as const;

    it('closes an open meeting', () => {
      given([scheduled]).when(close).then(closed);
    });

    it('refuses a closed meeting', () => {
      given([scheduled, closed]).when(close).thenFails('MEETING_CLOSED');
    });

    it('answers not found for an unknown meeting', () => {
      given([]).when(close).thenFails('NOT_FOUND');
    });

    it('refuses an officer', () => {
      given([scheduled]).when({ ...close, actor: councilOfficer }).thenFails('FORBIDDEN_ROLE');
    });
  });

  it('evolves: attendance accumulates without repeats', () => {
    const state = [
      scheduled,
      { type: 'MeetingAttendanceRecorded', data: { attendees: [{ name: 'A', agency: 'POLICE' }] } } as const,
      { type: 'MeetingAttendanceRecorded', data: { attendees: [{ name: 'A', agency: 'POLICE' }, { name: 'B', agency: 'FIRE' }] } } as const,
      closed,
    ].reduce<MeetingState>((s, e) => evolveMeeting(s, e as MeetingEvent), initialMeetingState);
    expect(state).toMatchObject({
      status: 'closed',
      revision: 3,
      attendees: [
        { name: 'A', agency: 'POLICE' },
        { name: 'B', agency: 'FIRE' },
      ],
    });
  });
});
