import type { Actor } from '../actor';
import { accept, reject, type Decision, type Refusal } from '../decision';
import { unknownCommand, type IsoDateTime } from '../event';
import type { GroupState } from '../group/group.state';
import { requirePartnership, requireRole, requireVisible } from '../guards';
import { checks, compact } from '../validation';
import { ATTENDANCE_STATUSES, type Attendee, type MeetingEvent } from './meeting.events';
import type { ExistingMeeting, MeetingState } from './meeting.state';

/** `timeZone`: the zone of bare dates (TIME_ZONE; default UTC). */
type CommandBase = { actor: Actor; now: IsoDateTime; timeZone?: string };

/** Schedule a meeting of a tasking group; `group` is the state of `groupCode`. */
export type ScheduleMeeting = CommandBase & {
  type: 'ScheduleMeeting';
  meetingId: string;
  partnership: string;
  groupCode: string;
  /** From 10 years ago to 2 years ahead. */
  heldOn: IsoDateTime;
  chair: string;
  group: GroupState;
};

export type RecordAttendance = CommandBase & { type: 'RecordAttendance'; attendees: readonly Attendee[] };

export type CloseMeeting = CommandBase & { type: 'CloseMeeting'; minutesNote: string };

/** Tabling a problem at a meeting writes the problem's stream: see `workflows/table-problem`. */
export type MeetingCommand = ScheduleMeeting | RecordAttendance | CloseMeeting;

export function decideMeeting(command: MeetingCommand, state: MeetingState): Decision<MeetingEvent> {
  switch (command.type) {
    case 'ScheduleMeeting':
      return schedule(command, state);
    case 'RecordAttendance':
      return recordAttendance(command, state);
    case 'CloseMeeting':
      return close(command, state);
    default:
      return unknownCommand(command);
  }
}

export const requireOpenMeeting = (meeting: ExistingMeeting, doing: string): Refusal | undefined =>
  meeting.status === 'open' ? undefined : reject('MEETING_CLOSED', `meeting ${meeting.meetingId} is closed: cannot ${doing}`);

function schedule(command: ScheduleMeeting, state: MeetingState): Decision<MeetingEvent> {
  const { actor, group } = command;
  const refused =
    requirePartnership(actor, command.partnership) ??
    requireRole(command, 'schedule meetings') ??
    checks()
      .text('meetingId', command.meetingId)
      .code('groupCode', command.groupCode)
      .meetingDate('heldOn', command.heldOn, command)
      .text('chair', command.chair)
      .refusal() ??
    (state.status !== 'none' ? reject('ALREADY_EXISTS', `meeting ${command.meetingId} already exists`) : undefined) ??
    (group.status === 'registered' && group.code === command.groupCode && group.partnership === command.partnership
      ? undefined
      : reject('UNKNOWN_GROUP', `tasking group ${command.groupCode} is not registered in partnership ${command.partnership}`));
  if (refused) return refused;
  return accept({
    type: 'MeetingScheduled',
    data: {
      meetingId: command.meetingId,
      partnership: command.partnership,
      groupCode: command.groupCode,
      heldOn: command.heldOn,
      chair: command.chair,
    },
  });
}

function recordAttendance(command: RecordAttendance, state: MeetingState): Decision<MeetingEvent> {
  const access = requireVisible(command.actor, state, 'meeting') ?? requireRole(command, 'record meeting attendance');
  if (access) return access;
  const v = checks();
  if (!Array.isArray(command.attendees) || command.attendees.length === 0) v.fail('attendees', 'attendees must be a non-empty list');
  else
    command.attendees.forEach((a, i) => {
      if (typeof a !== 'object' || a === null) v.fail(`attendees[${i}]`, `attendees[${i}] must be {name, agency, status?, deputisingFor?}`);
      else if (a.status === 'apologies' && a.deputisingFor !== undefined) v.fail(`attendees[${i}].deputisingFor`, 'a deputy attends: deputisingFor needs status present');
      else
        v.text(`attendees[${i}].name`, a.name)
          .text(`attendees[${i}].agency`, a.agency)
          .oneOf(`attendees[${i}].status`, a.status, ATTENDANCE_STATUSES, { optional: true })
          .text(`attendees[${i}].deputisingFor`, a.deputisingFor, { optional: true });
    });
  const refused = v.refusal() ?? requireOpenMeeting(state as ExistingMeeting, 'record attendance');
  if (refused) return refused;
  return accept({
    type: 'MeetingAttendanceRecorded',
    data: { attendees: command.attendees.map(({ name, agency, status, deputisingFor }) => compact({ name, agency, status, deputisingFor })) },
  });
}

function close(command: CloseMeeting, state: MeetingState): Decision<MeetingEvent> {
  const refused =
    requireVisible(command.actor, state, 'meeting') ??
    requireRole(command, 'close meetings') ??
    checks().text('minutesNote', command.minutesNote, { allowEmpty: true }).refusal() ??
    requireOpenMeeting(state as ExistingMeeting, 'close it again');
  if (refused) return refused;
  return accept({ type: 'MeetingClosed', data: { minutesNote: command.minutesNote } });
}
