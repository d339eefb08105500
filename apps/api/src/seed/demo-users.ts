import type { Principal } from '@tasking/auth';

/** The people of the demo partnership; the seed acts as them and the quick start prints their tokens. */
export const DEMO_USERS = {
  admin: { userId: 'demo-admin', name: 'Alex Morgan (systems)', agency: 'COUNCIL-ASB', roles: ['admin'] },
  inspector: { userId: 'demo-inspector', name: 'Insp. Sarah Okafor', agency: 'POLICE', roles: ['inspector'] },
  manager: { userId: 'demo-manager', name: 'Claire Whitfield (CSP manager)', agency: 'COUNCIL-ASB', roles: ['manager'] },
  councilOfficer: { userId: 'demo-officer-asb', name: 'Priya Shah (ASB officer)', agency: 'COUNCIL-ASB', roles: ['officer'] },
  streetSceneOfficer: { userId: 'demo-officer-street', name: 'Mark Ellis (street scene)', agency: 'STREET-SCENE', roles: ['officer'] },
  policeOfficer: { userId: 'demo-officer-police', name: 'PC Dan Hughes', agency: 'POLICE', roles: ['officer'] },
  fireOfficer: { userId: 'demo-officer-fire', name: 'WM Tom Reid', agency: 'FIRE', roles: ['officer'] },
  housingOfficer: { userId: 'demo-officer-housing', name: 'Joanne Price (housing)', agency: 'HOUSING', roles: ['officer'] },
  youthOfficer: { userId: 'demo-officer-youth', name: 'Kwame Asante (youth service)', agency: 'YOUTH', roles: ['officer'] },
  voluntaryOfficer: { userId: 'demo-officer-voluntary', name: 'Ruth Bennett (Safer Streets Trust)', agency: 'SAFER-STREETS-TRUST', roles: ['officer'] },
} as const satisfies Record<string, Omit<Principal, 'partnerships'>>;

export type DemoUser = keyof typeof DEMO_USERS;

/** The users whose tokens the quick start prints and the console's "sign in as" list offers. */
export const DEMO_SIGN_IN: { label: string; user: DemoUser }[] = [
  { label: 'Inspector (police)', user: 'inspector' },
  { label: 'Officer, council ASB team', user: 'councilOfficer' },
  { label: 'Officer, street scene', user: 'streetSceneOfficer' },
  { label: 'Manager (CSP)', user: 'manager' },
  { label: 'Administrator', user: 'admin' },
];
