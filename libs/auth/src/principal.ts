/**
 * `operator`: runs the service, not a partnership's work: the queue dashboard (every
 * partnership's queues, ids only) and nothing else. A token may carry it beside other roles.
 */
export const ROLES = ['inspector', 'officer', 'manager', 'admin', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, taken from a verified token and nothing else. */
export interface Principal {
  userId: string;
  name: string;
  agency: string;
  roles: Role[];
  partnerships: string[];
}
