import type { KeepJobs } from 'bullmq';

export const QUEUE_KINDS = ['notifications', 'deadlines', 'projection-rebuild', 'reports', 'imports'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

/**
 * Queue names carry QUEUE_PREFIX, so deployments sharing a Redis never take each other's jobs;
 * a runtime on a schema other than `public` (tests, several deployments in one database) adds
 * the schema too, since its jobs name rows only that schema holds.
 */
export function queueName(prefix: string, schema: string, kind: QueueKind): string {
  return schema === 'public' ? `${prefix}-${kind}` : `${prefix}-${schema}-${kind}`;
}

/** BullMQ refuses ids holding `:` and ids of digits only: every id here starts with a word. */
const safe = (part: string | number): string => String(part).replace(/:/g, '_');

export const notificationJobId = (eventId: string, agency: string): string => `notify-${safe(eventId)}-${safe(agency)}`;
export const deadlineJobId = (actionId: string, dueByRevision: number): string => `deadline-${safe(actionId)}-${dueByRevision}`;
export const importJobId = (importId: string): string => `import-${safe(importId)}`;
export const packJobId = (meetingId: string, position: string): string => `pack-${safe(meetingId)}-${safe(position || 'start')}`;

const HOUR = 3600;
const DAY = 24 * HOUR;

/** Finished jobs are trimmed: consumers keep their own record of what they did (migrations/1796600001000-job-tables.ts). */
export const RETENTION: Record<QueueKind, { removeOnComplete: KeepJobs; removeOnFail: KeepJobs }> = {
  notifications: { removeOnComplete: { count: 1000, age: DAY }, removeOnFail: { count: 5000, age: 14 * DAY } },
  deadlines: { removeOnComplete: { count: 1000, age: DAY }, removeOnFail: { count: 1000, age: 14 * DAY } },
  'projection-rebuild': { removeOnComplete: { count: 100, age: 7 * DAY }, removeOnFail: { count: 100, age: 7 * DAY } },
  reports: { removeOnComplete: { count: 200, age: DAY }, removeOnFail: { count: 200, age: 7 * DAY } },
  imports: { removeOnComplete: { count: 100, age: 7 * DAY }, removeOnFail: { count: 100, age: 7 * DAY } },
};

export interface NotificationJobData {
  eventId: string;
  type: 'ActionAssigned' | 'ActionReassigned' | 'ActionEscalated';
  stream: string;
  revision: number;
  recordedAt: string;
  actionId: string;
  agency: string;
}

export interface DeadlineJobData {
  actionId: string;
  dueBy: string;
  dueByRevision: number;
}

export interface RebuildJobData {
  projection: string;
  requestedAt: string;
}

export interface PackJobData {
  meetingId: string;
}

export interface ImportJobData {
  importId: string;
}
