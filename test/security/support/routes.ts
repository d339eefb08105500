import type { Role } from '@tasking/auth';

/** What a path parameter names. Only problems, actions, meetings, areas, groups, incidents and sources belong to a partnership. */
export type ParamKind =
  | ('problem' | 'action' | 'meeting' | 'area' | 'group' | 'agency' | 'projection' | 'job' | 'incident' | 'source' | 'import')
  // Open311 clients and partnership settings.
  | 'open311client'
  | 'partnership'
  | 'category';

export interface Ids {
  problem: string;
  action: string;
  meeting: string;
  area: string;
  group: string;
  agency: string;
  projection: string;
  job: string;
  incident: string;
  /** A source code: codes are per partnership, the partnership is the caller's (or the body's). */
  source: string;
  /** A bulk import's id. */
  import: string;
  // Open311 clients and partnership settings.
  open311client: string;
  partnership: string;
  category: string;
}

export interface RouteSpec {
  /** Who may call it (api.md and domain.md); `public`: no token needed. */
  roles: readonly Role[] | 'public';
  /** What the path parameter names, when the path has one. */
  param?: ParamKind;
  /** Officer routes on an action: an officer of another agency gets 403 WRONG_AGENCY (domain.md). */
  agencyRule?: true;
  /** A body the route accepts (so only permissions can refuse it); none for routes without one. */
  body?: (ids: Ids) => unknown;
}

export const READERS: readonly Role[] = ['inspector', 'officer', 'manager', 'admin'];
/** `operator` (the queue dashboard's role) is refused everywhere else. */
export const ROLES: readonly Role[] = [...READERS, 'operator'];
export const DUE_BY = '2030-06-30T17:00:00Z';

/**
 * Every route the API serves, with who may call it and a valid body. The security and fuzz
 * suites check this table against the OpenAPI document (`/docs-json`) and the router itself, in
 * both directions: a new route fails them until it is listed here, with its rules.
 */
export const ROUTES: Record<string, RouteSpec> = {
  // Operations and the console (public)
  'GET /health/live': { roles: 'public' },
  'GET /health/ready': { roles: 'public' },
  'GET /metrics': { roles: 'public' },
  'GET /v1/dev/tokens': { roles: 'public' },
  'GET /v1/console-config': { roles: 'public' },

  // Reference data (admin)
  'POST /v1/agencies': { roles: ['admin'], body: () => ({ code: `AG-${Math.random().toString(36).slice(2, 8).toUpperCase()}`, name: 'An agency', kind: 'other' }) },
  'PUT /v1/agencies/{code}/webhook': {
    roles: ['admin'],
    param: 'agency',
    body: () => ({ webhookUrl: 'https://council.example/hooks/tasking', webhookSecret: 'a-webhook-secret-of-at-least-32-characters!' }),
  },
  'POST /v1/agencies/{code}/deactivate': { roles: ['admin'], param: 'agency', body: () => ({ reason: 'merged into another agency' }) },
  'POST /v1/groups': { roles: ['admin'], body: () => ({ code: `grp-${Math.random().toString(36).slice(2, 8)}`, name: 'A group', partnership: 'north', areaCodes: ['enfield-town'] }) },
  // A group's schedule and members (admin, inspector)
  'PUT /v1/groups/{code}/schedule': { roles: ['admin', 'inspector'], param: 'group', body: () => ({ everyDays: 14, from: '2025-04-01', time: '10:00' }) },
  'PUT /v1/groups/{code}/members': { roles: ['admin', 'inspector'], param: 'group', body: () => ({ members: [{ name: 'Sam Patel', agency: 'COUNCIL-ASB', role: 'ASB lead' }] }) },
  'PUT /v1/areas/{code}': { roles: ['admin'], param: 'area', body: () => ({ name: 'Renamed area', centroid: { lat: 51.65, lng: -0.08 } }) },

  // Sources of incidents (admin registers; inspectors, managers and admins list)
  'PUT /v1/sources/{code}': { roles: ['admin'], param: 'source', body: () => ({ name: 'Street crime', kind: 'police', categoryMap: { Drugs: 'drugs' } }) },
  'GET /v1/sources': { roles: ['inspector', 'manager', 'admin'] },

  // Bulk imports (inspector, manager, admin); the body of a start is a CSV file, not JSON
  'POST /v1/imports': { roles: ['inspector', 'manager', 'admin'] },
  'GET /v1/imports': { roles: ['inspector', 'manager', 'admin'] },
  'GET /v1/imports/{id}': { roles: ['inspector', 'manager', 'admin'], param: 'import' },
  'POST /v1/imports/{id}/withdraw': { roles: ['inspector', 'manager', 'admin'], param: 'import' },

  // Problems (inspector; closing also manager)
  'POST /v1/problems': {
    roles: ['inspector'],
    body: () => ({ title: 'Fly-tipping behind the parade', description: 'Bags dumped weekly', category: 'fly-tipping', location: { areaCode: 'enfield-town' } }),
  },
  'POST /v1/problems/{id}/amend': { roles: ['inspector'], param: 'problem', body: () => ({ title: 'Amended title' }) },
  'POST /v1/problems/{id}/prioritise': { roles: ['inspector'], param: 'problem', body: () => ({ priority: 'high', harmScore: 40, rationale: 'repeat victims' }) },
  'POST /v1/problems/{id}/analysis': { roles: ['inspector'], param: 'problem', body: () => ({ hypotheses: ['no guardians after 9pm'] }) },
  'POST /v1/problems/{id}/reviews': { roles: ['inspector'], param: 'problem', body: () => ({ rag: 'amber', note: 'progressing' }) },
  'POST /v1/problems/{id}/close': {
    roles: ['inspector', 'manager'],
    param: 'problem',
    body: () => ({ outcome: 'reduced', assessment: 'fewer reports', override: true, overrideReason: 'partners withdrew' }),
  },
  'POST /v1/problems/{id}/reopen': { roles: ['inspector'], param: 'problem', body: () => ({ reason: 'it came back' }) },
  // People named on a problem: inspectors, and officers of an agency holding one of its actions, add; inspectors and admins erase.
  // (The erase route's subject id is left unfilled: the problem is checked first, an unknown subject is 404 like an unknown problem.)
  'POST /v1/problems/{id}/subjects': { roles: ['inspector', 'officer'], param: 'problem', body: () => ({ role: 'witness', name: 'A witness' }) },
  'POST /v1/problems/{id}/subjects/{subjectId}/erase': { roles: ['inspector', 'admin'], param: 'problem', body: () => ({ reason: 'subject access request' }) },
  'POST /v1/problems/{id}/actions': {
    roles: ['inspector'],
    param: 'problem',
    body: () => ({ agency: 'FIRE', description: 'Fire safety visit', tactic: { category: 'prevention', name: 'target hardening' }, dueBy: DUE_BY }),
  },

  // Actions
  'POST /v1/actions/{id}/claim': { roles: ['officer'], param: 'action', agencyRule: true },
  'POST /v1/actions/{id}/decline': { roles: ['officer'], param: 'action', agencyRule: true, body: () => ({ reasonCode: 'no-capacity', note: 'team on leave' }) },
  'POST /v1/actions/{id}/release': { roles: ['inspector', 'officer'], param: 'action', agencyRule: true, body: () => ({ reason: 'handing over' }) },
  'POST /v1/actions/{id}/interventions': {
    roles: ['officer'],
    param: 'action',
    agencyRule: true,
    body: () => ({ tactic: { category: 'engagement', name: 'door-knocking' }, description: 'Spoke to residents', occurredAt: '2025-03-02T10:00:00Z' }),
  },
  'POST /v1/actions/{id}/discharge': { roles: ['officer'], param: 'action', agencyRule: true, body: () => ({ result: 'completed', note: 'done' }) },
  'POST /v1/actions/{id}/reassign': { roles: ['inspector'], param: 'action', body: () => ({ agency: 'HOUSING', reason: 'housing lead' }) },
  'POST /v1/actions/{id}/due-date': { roles: ['inspector'], param: 'action', body: () => ({ dueBy: '2031-01-31T17:00:00Z', reason: 'more time' }) },
  'POST /v1/actions/{id}/cancel': { roles: ['inspector'], param: 'action', body: () => ({ reason: 'no longer needed' }) },

  // Meetings (inspector)
  'POST /v1/meetings': { roles: ['inspector'], body: () => ({ groupCode: 'enfield-safe', heldOn: '2025-04-01', chair: 'Insp Jane Hart' }) },
  'POST /v1/meetings/{id}/attendance': { roles: ['inspector'], param: 'meeting', body: () => ({ attendees: [{ name: 'Sam Patel', agency: 'COUNCIL-ASB' }] }) },
  'POST /v1/meetings/{id}/problems': { roles: ['inspector'], param: 'meeting', body: (ids) => ({ problemId: ids.problem }) },
  'POST /v1/meetings/{id}/close': { roles: ['inspector'], param: 'meeting', body: () => ({ minutesNote: 'minutes agreed' }) },

  // Incidents: reports taken by phone or at a counter (inspector, officer, manager); triage (inspector)
  'POST /v1/incidents': {
    roles: ['inspector', 'officer', 'manager'],
    body: () => ({ source: 'console', category: 'fly-tipping', occurredAt: '2025-03-01T09:00:00Z', location: { areaCode: 'enfield-town' } }),
  },
  'POST /v1/incidents/{id}/link': { roles: ['inspector'], param: 'incident', body: (ids) => ({ problemId: ids.problem }) },
  'POST /v1/incidents/{id}/unlink': { roles: ['inspector'], param: 'incident', body: () => ({ reason: 'linked in error' }) },
  'POST /v1/incidents/{id}/duplicate': { roles: ['inspector'], param: 'incident', body: () => ({ of: '00000000-0000-4000-8000-000000000000' }) },
  'POST /v1/incidents/{id}/dismiss': { roles: ['inspector'], param: 'incident', body: () => ({ reasonCode: 'test' }) },

  // Queries (every role, within its partnerships)
  'GET /v1/agencies': { roles: READERS },
  'GET /v1/groups': { roles: READERS },
  'GET /v1/areas': { roles: READERS },
  'GET /v1/categories': { roles: READERS },
  'GET /v1/tactics': { roles: READERS },
  'GET /v1/problems': { roles: READERS },
  'GET /v1/problems/{id}': { roles: READERS, param: 'problem' },
  'GET /v1/problems/{id}/history': { roles: READERS, param: 'problem' },
  'GET /v1/problems/{id}/subject-access': { roles: ['manager'], param: 'problem' },
  'GET /v1/actions': { roles: READERS },
  'GET /v1/actions/{id}': { roles: READERS, param: 'action' },
  'GET /v1/meetings': { roles: READERS },
  'GET /v1/meetings/{id}': { roles: READERS, param: 'meeting' },
  'GET /v1/meetings/{id}/pack': { roles: READERS, param: 'meeting' },
  'GET /v1/hotspots': { roles: READERS },
  'GET /v1/hotspots.geojson': { roles: READERS },
  'GET /v1/discharged-actions': { roles: READERS },
  'GET /v1/discharged-actions/items': { roles: READERS },
  'GET /v1/discharged-actions/in-process': { roles: READERS },
  'GET /v1/tactical-options': { roles: READERS },
  'GET /v1/tactical-options/suggestions': { roles: READERS },
  'GET /v1/outcomes': { roles: READERS },

  // Incidents (inspector, manager)
  'GET /v1/incidents': { roles: ['inspector', 'manager'] },
  'GET /v1/incidents.geojson': { roles: ['inspector', 'manager'] },
  'GET /v1/incidents/{id}': { roles: ['inspector', 'manager'], param: 'incident' },
  'GET /v1/hotspots/emerging': { roles: ['inspector', 'manager'] },

  // Operations (admin)
  'GET /v1/admin/projections': { roles: ['admin'] },
  'POST /v1/admin/projections/{name}/rebuild': { roles: ['admin'], param: 'projection' },
  'GET /v1/admin/jobs/{id}': { roles: ['admin'], param: 'job' },
  'GET /v1/admin/queues': { roles: ['admin'] },
  'GET /v1/admin/webhooks/dead-letters': { roles: ['admin'] },
  'POST /v1/admin/queues/ticket': { roles: ['operator'] },

  // Open311 clients and partnership settings (admin)
  'POST /v1/open311/clients': { roles: ['admin'], body: () => ({ name: 'FixMyStreet', partnership: 'north' }) },
  'POST /v1/open311/clients/{id}/revoke': { roles: ['admin'], param: 'open311client' },
  'PUT /v1/partnerships/{code}/settings': { roles: ['admin'], param: 'partnership', body: () => ({ publicDescriptions: true }) },
  'PUT /v1/open311/services/{category}': { roles: ['admin'], param: 'category', body: () => ({ reportable: false, partnership: 'north' }) },
};

export interface Route extends RouteSpec {
  key: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
}

export const routeList = (): Route[] =>
  Object.entries(ROUTES).map(([key, spec]) => {
    const [method, path] = key.split(' ') as [Route['method'], string];
    return { key, method, path, ...spec };
  });

/** The route's URL with its path parameter filled in. */
export function urlOf(route: Pick<Route, 'path' | 'param'>, ids: Ids): string {
  if (!route.param) return route.path;
  return route.path.replace(/\{[a-z]+\}/, encodeURIComponent(ids[route.param]));
}

/** `METHOD /path/{param}` of every operation in an OpenAPI document. */
export function openApiRoutes(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  const keys: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of Object.keys(item)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) keys.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return keys.sort();
}

/**
 * `METHOD /path/{param}` of every route in Fastify's router (from `printRoutes`), HEAD left out:
 * what the server really answers, whatever the OpenAPI document says.
 */
export function routerRoutes(printed: string): string[] {
  const segments: string[] = [];
  const keys: string[] = [];
  for (const line of printed.split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    segments.length = depth;
    segments[depth] = match[2]!;
    const path = segments.join('').replace(/:([A-Za-z]+)/g, '{$1}');
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD') keys.push(`${method} ${path}`);
  }
  return [...new Set(keys)].sort();
}
