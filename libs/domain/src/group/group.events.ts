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

export type GroupEvent = TaskingGroupRegistered;

const groupEventTypes: Record<GroupEvent['type'], true> = { TaskingGroupRegistered: true };
export const GROUP_EVENT_TYPES = Object.keys(groupEventTypes) as readonly GroupEvent['type'][];
