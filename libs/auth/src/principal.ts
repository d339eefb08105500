export const ROLES = ['inspector', 'officer', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, taken from a verified token and nothing else. */
export interface Principal {
  userId: string;
  name: string;
  agency: string;
  roles: Role[];
  partnerships: string[];
}
