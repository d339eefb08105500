import type { JobsApp } from './jobs-app';

export const PARTNERSHIP = 'default';
export const WEBHOOK_SECRET = 'a-webhook-secret-of-at-least-32-characters!';

export async function people(t: JobsApp) {
  const base = { partnerships: [PARTNERSHIP] };
  return {
    admin: await t.token({ sub: 'u-admin', name: 'Ada Admin', agency: 'POLICE', roles: ['admin'], ...base }),
    inspector: await t.token({ sub: 'u-insp', name: 'Insp Jane Hart', agency: 'POLICE', roles: ['inspector'], ...base }),
    council: await t.token({ sub: 'u-council', name: 'Sam Patel', agency: 'COUNCIL-ASB', roles: ['officer'], ...base }),
    manager: await t.token({ sub: 'u-mgr', name: 'Meg Manager', agency: 'COUNCIL-ASB', roles: ['manager'], ...base }),
  };
}
export type People = Awaited<ReturnType<typeof people>>;

export function expectStatus(answer: { status: number; body: unknown }, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** Agencies (with webhooks where given), two areas and the group `enfield-safe`. */
export async function referenceData(t: JobsApp, p: People, webhooks: Record<string, string> = {}): Promise<void> {
  for (const [code, kind] of [
    ['POLICE', 'police'],
    ['COUNCIL-ASB', 'local-authority'],
    ['FIRE', 'fire-rescue'],
  ] as const) {
    const hook = webhooks[code] ? { webhookUrl: webhooks[code], webhookSecret: WEBHOOK_SECRET } : {};
    expectStatus(await t.request('POST', '/v1/agencies', { token: p.admin, body: { code, name: `Agency ${code}`, kind, ...hook } }), 201, `agency ${code}`);
  }
  for (const [code, lat] of [
    ['enfield-town', 51.652],
    ['edmonton', 51.615],
  ] as const) {
    expectStatus(await t.request('PUT', `/v1/areas/${code}`, { token: p.admin, body: { name: code, centroid: { lat, lng: -0.08 } } }), 200, `area ${code}`);
  }
  expectStatus(
    await t.request('POST', '/v1/groups', { token: p.admin, body: { code: 'enfield-safe', name: 'Enfield SAFE', areaCodes: ['enfield-town', 'edmonton'] } }),
    201,
    'group',
  );
}

export async function raiseProblem(t: JobsApp, p: People, overrides: Record<string, unknown> = {}): Promise<string> {
  const raised = await t.request('POST', '/v1/problems', {
    token: p.inspector,
    body: {
      title: 'Youth disorder at Church Street parade',
      description: 'Groups gathering outside the shops after 9pm; Mr Smith at no. 4 affected',
      category: 'asb-youth',
      location: { areaCode: 'enfield-town', lat: 51.652, lng: -0.081, address: '4 Church Street' },
      groupCode: 'enfield-safe',
      ...overrides,
    },
  });
  expectStatus(raised, 201, 'raise');
  return raised.body.id as string;
}

export async function assign(t: JobsApp, p: People, problemId: string, agency: string, dueBy: string, extra: Record<string, unknown> = {}): Promise<string> {
  const assigned = await t.request('POST', `/v1/problems/${problemId}/actions`, {
    token: p.inspector,
    body: { agency, description: 'Speak to Mr Smith about the shutters', tactic: { category: 'prevention', name: 'cctv' }, dueBy, ...extra },
  });
  expectStatus(assigned, 201, `assign to ${agency}`);
  return assigned.body.id as string;
}
