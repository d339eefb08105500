import type { CommandApp } from './command-app';
import { NORTH, SOUTH } from './command-app';

export const DUE_BY = '2030-06-30T17:00:00Z';
export const PAST = '2025-03-01T09:00:00Z';

/** Tokens of the people in the story: users of partnership north, plus an inspector of south. */
export async function people(t: CommandApp) {
  return {
    /** Holds both partnerships: must name one when registering groups and areas. */
    admin: await t.token({ sub: 'u-admin', name: 'Ada Admin', agency: 'POLICE', roles: ['admin'], partnerships: [NORTH, SOUTH] }),
    northAdmin: await t.token({ sub: 'u-admin-north', name: 'Nia Admin', agency: 'POLICE', roles: ['admin'], partnerships: [NORTH] }),
    inspector: await t.token({ sub: 'u-insp', name: 'Insp Jane Hart', agency: 'POLICE', roles: ['inspector'], partnerships: [NORTH] }),
    southInspector: await t.token({ sub: 'u-insp-south', name: 'Insp Sol South', agency: 'POLICE', roles: ['inspector'], partnerships: [SOUTH] }),
    manager: await t.token({ sub: 'u-mgr', name: 'Meg Manager', agency: 'COUNCIL-ASB', roles: ['manager'], partnerships: [NORTH] }),
    council: await t.token({ sub: 'u-council', name: 'Sam Patel', agency: 'COUNCIL-ASB', roles: ['officer'], partnerships: [NORTH] }),
    council2: await t.token({ sub: 'u-council-2', name: 'Cat Jones', agency: 'COUNCIL-ASB', roles: ['officer'], partnerships: [NORTH] }),
    fire: await t.token({ sub: 'u-fire', name: 'Fred Fire', agency: 'FIRE', roles: ['officer'], partnerships: [NORTH] }),
    housing: await t.token({ sub: 'u-housing', name: 'Hana Housing', agency: 'HOUSING', roles: ['officer'], partnerships: [NORTH] }),
  };
}

export type People = Awaited<ReturnType<typeof people>>;

function expectStatus(answer: { status: number; body: unknown }, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** Agencies, two areas of north, one of south, and the tasking group `enfield-safe`. */
export async function registerReferenceData(t: CommandApp, p: People): Promise<void> {
  for (const [code, name, kind] of [
    ['POLICE', 'Metropolitan Police', 'police'],
    ['COUNCIL-ASB', 'Enfield Council ASB team', 'local-authority'],
    ['FIRE', 'London Fire Brigade', 'fire-rescue'],
    ['HOUSING', 'Enfield Homes', 'housing'],
  ]) {
    expectStatus(await t.post('/v1/agencies', { token: p.admin, body: { code, name, kind } }), 201, `register ${code}`);
  }
  const areas: [string, string, string, number, number][] = [
    ['enfield-town', 'Enfield Town', NORTH, 51.652, -0.081],
    ['edmonton', 'Edmonton', NORTH, 51.615, -0.067],
    ['tottenham', 'Tottenham', SOUTH, 51.588, -0.072],
  ];
  for (const [code, name, partnership, lat, lng] of areas) {
    expectStatus(await t.put(`/v1/areas/${code}`, { token: p.admin, body: { name, partnership, centroid: { lat, lng } } }), 200, `area ${code}`);
  }
  expectStatus(
    await t.post('/v1/groups', { token: p.admin, body: { code: 'enfield-safe', name: 'Enfield SAFE', partnership: NORTH, areaCodes: ['enfield-town', 'edmonton'] } }),
    201,
    'group',
  );
}

export const problemBody = (overrides: Record<string, unknown> = {}) => ({
  title: 'Youth disorder at Church Street parade',
  description: 'Groups gathering outside the shops after 9pm, damage to shutters',
  category: 'asb-youth',
  location: { areaCode: 'enfield-town', lat: 51.652, lng: -0.081, address: 'Church Street' },
  ...overrides,
});

export const actionBody = (agency: string, overrides: Record<string, unknown> = {}) => ({
  agency,
  description: `Deal with it (${agency})`,
  tactic: { category: 'prevention', name: 'cctv' },
  dueBy: DUE_BY,
  ...overrides,
});

export async function raiseProblem(t: CommandApp, token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const raised = await t.post('/v1/problems', { token, body: problemBody(overrides) });
  expectStatus(raised, 201, 'raise');
  return raised.body.id as string;
}

export async function assignAction(t: CommandApp, token: string, problemId: string, agency: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const assigned = await t.post(`/v1/problems/${problemId}/actions`, { token, body: actionBody(agency, overrides) });
  expectStatus(assigned, 201, `assign to ${agency}`);
  return assigned.body.id as string;
}

export async function claimAndDischarge(t: CommandApp, officer: string, actionId: string): Promise<void> {
  expectStatus(await t.post(`/v1/actions/${actionId}/claim`, { token: officer }), 200, 'claim');
  expectStatus(await t.post(`/v1/actions/${actionId}/discharge`, { token: officer, body: { result: 'completed', note: 'done' } }), 200, 'discharge');
}

// Incidents
export const incidentBody = (overrides: Record<string, unknown> = {}) => ({
  source: 'console',
  category: 'fly-tipping',
  occurredAt: PAST,
  location: { areaCode: 'enfield-town', lat: 51.652, lng: -0.081, address: '12 Church Street' },
  description: 'Mattresses dumped by the bins',
  reporter: { name: 'Rita Reporter', email: 'rita@example.org', phone: '020 7946 0000' },
  ...overrides,
});

export async function recordIncident(t: CommandApp, token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const recorded = await t.post('/v1/incidents', { token, body: incidentBody(overrides) });
  expectStatus(recorded, 201, 'record incident');
  return recorded.body.id as string;
}
