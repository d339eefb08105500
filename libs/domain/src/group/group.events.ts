import type { Event } from '../event';

export type TaskingGroupRegistered = Event<
  'TaskingGroupRegistered',
  {
    /** e.g. `enfield-safe` */
    code: string;
    partnership: string;
    name: string;
    areaCodes: string[];
  }
>;

/** When a group meets: every `everyDays` days from the date `from`, at `time` (HH:MM, the partnership's zone) when given. */
export type GroupSchedule = { everyDays: number; from: string; time?: string };

/** The group's schedule, replacing any earlier one. */
export type GroupScheduleSet = Event<'GroupScheduleSet', GroupSchedule>;

/** A standing member of a group: a member of staff, in their professional capacity. */
export type GroupMember = { name: string; agency: string; role?: string };

/** The group's members, replacing the earlier list. */
export type GroupMembersSet = Event<'GroupMembersSet', { members: GroupMember[] }>;

export type GroupEvent = TaskingGroupRegistered | GroupScheduleSet | GroupMembersSet;

const groupEventTypes: Record<GroupEvent['type'], true> = { TaskingGroupRegistered: true, GroupScheduleSet: true, GroupMembersSet: true };
export const GROUP_EVENT_TYPES = Object.keys(groupEventTypes) as readonly GroupEvent['type'][];
