// Public entry of @tasking/domain.

export * from './categories';
export * from './errors';
export * from './decision';
export * from './event';
export * from './actor';
export * from './events';

export * from './problem/problem.events';
export * from './action/action.events';
export * from './meeting/meeting.events';
export * from './group/group.events';
export * from './agency/agency.events';
export * from './area/area.events';
