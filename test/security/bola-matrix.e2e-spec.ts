import { randomUUID } from 'node:crypto';
import type { DevTokenClaims, Role } from '@tasking/auth';
import { startCommandApp, NORTH, SOUTH, type Answer, type CommandApp } from '../e2e/support/command-app';
import { assignAction, people, raiseProblem, recordIncident, registerReferenceData, type People } from '../e2e/support/fixtures';
import { eventCount } from '../reliability/support/log';
import { openApiRoutes, routeList, routerRoutes, ROLES, ROUTES, urlOf, type Ids, type Route } from './support/routes';

/**
 * OWASP API1 (BOLA) and API5 (function level authorisation) as a matrix over every route the
 * OpenAPI document lists, so a new route cannot escape it: agency B's officer against agency A's
 * actions in every state (403 WRONG_AGENCY), partnership Y's users against partnership X's
 * objects (404, exactly as for an unknown id), every role against every route it may not call
 * (403 FORBIDDEN_ROLE); every refusal appends nothing. Tokens: test/security/tokens.e2e-spec.ts.
 */
describe('authorisation matrix over every route (BOLA, function level)', () => {
  let t: CommandApp;
  let p: People;
  /** Objects of partnership north, agency COUNCIL-ASB's actions in every state. */
  let ids: Ids;
  let actions: Record<'unclaimed' | 'claimed' | 'declined' | 'discharged' | 'cancelled', string>;
  let southMeeting: string;
  let routes: Route[];

  const token = (claims: DevTokenClaims) => t.token(claims);
  const user = (role: Role, partnership: string, agency = 'POLICE') =>
    token({ sub: `u-${role}-${partnership}-${agency}`, name: `${role} of ${agency} in ${partnership}`, agency, roles: [role], partnerships: [partnership] });

  const send = (route: Pick<Route, 'method' | 'path' | 'param' | 'body'>, who: string | undefined, at: Ids = ids): Promise<Answer> => {
    const url = urlOf(route, at);
    const body = route.body?.(at);
    return route.method === 'PUT' ? t.put(url, { token: who, body }) : route.method === 'GET' ? get(url, who) : t.post(url, { token: who, body });
  };

  async function get(url: string, who: string | undefined): Promise<Answer> {
    const fastify = t.app.getHttpAdapter().getInstance();
    const response = await fastify.inject({ method: 'GET', url, headers: who ? { authorization: `Bearer ${who}` } : {} });
    let body: unknown;
    try {
      body = response.body === '' ? undefined : JSON.parse(response.body);
    } catch {
      body = response.body;
    }
    return { status: response.statusCode, headers: response.headers, body };
  }

  /** Sends, and proves the log did not grow. */
  async function refused(route: Route, who: string | undefined, at: Ids = ids): Promise<Answer> {
    const before = await eventCount(t.runtime.db);
    const answer = await send(route, who, at);
    const after = await eventCount(t.runtime.db);
    if (after !== before) throw new Error(`${route.key} appended ${after - before} event(s) while answering ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  }

  beforeAll(async () => {
    t = await startCommandApp();
    p = await people(t);
    await registerReferenceData(t, p);
    const problem = await raiseProblem(t, p.inspector);
    const made = await Promise.all(Array.from({ length: 5 }, () => assignAction(t, p.inspector, problem, 'COUNCIL-ASB')));
    actions = { unclaimed: made[0]!, claimed: made[1]!, declined: made[2]!, discharged: made[3]!, cancelled: made[4]! };
    const ok = (answer: Answer) => expect(answer.status).toBe(200);
    ok(await t.post(`/v1/actions/${actions.claimed}/claim`, { token: p.council }));
    ok(await t.post(`/v1/actions/${actions.declined}/decline`, { token: p.council, body: { reasonCode: 'no-capacity', note: 'x' } }));
    ok(await t.post(`/v1/actions/${actions.discharged}/claim`, { token: p.council }));
    ok(await t.post(`/v1/actions/${actions.discharged}/discharge`, { token: p.council, body: { result: 'completed', note: 'x' } }));
    ok(await t.post(`/v1/actions/${actions.cancelled}/cancel`, { token: p.inspector, body: { reason: 'x' } }));
    const meeting = await t.post('/v1/meetings', { token: p.inspector, body: { groupCode: 'enfield-safe', heldOn: '2025-04-01', chair: 'x' } });
    expect(meeting.status).toBe(201);
    const southGroup = await t.post('/v1/groups', { token: p.admin, body: { code: 'tottenham-tasking', name: 'T', partnership: SOUTH, areaCodes: ['tottenham'] } });
    expect(southGroup.status).toBe(201);
    const south = await t.post('/v1/meetings', { token: p.southInspector, body: { groupCode: 'tottenham-tasking', heldOn: '2025-04-01', chair: 'x' } });
    expect(south.status).toBe(201);
    southMeeting = south.body.id;
    ids = { problem, action: actions.claimed, meeting: meeting.body.id, area: 'enfield-town', group: 'enfield-safe', agency: 'COUNCIL-ASB', projection: 'problems', job: randomUUID(), incident: await recordIncident(t, p.inspector), source: 'police', import: randomUUID(), open311client: randomUUID(), partnership: NORTH, category: 'noise' };
    // Queries read the read models: let them catch up, so a 404 below is the partnership's doing.
    const head = south.body.position as string;
    expect(await t.runtime.projections.waitFor(head, 20_000)).toBe(true);
    routes = routeList();
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('covers every route: the table equals the OpenAPI document, which equals the router', async () => {
    const document = (await get('/docs-json', undefined)).body;
    const documented = openApiRoutes(document);
    expect(documented).toEqual(Object.keys(ROUTES).sort());
    const served = routerRoutes(t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false })).filter((key) =>
      /^[A-Z]+ \/(v1|health|metrics)/.test(key),
    );
    expect(served).toEqual(documented);
    // Every command route that names an object in its path is in the object matrix below.
    const withIds = routes.filter((r) => r.param);
    expect(withIds.length).toBeGreaterThanOrEqual(28);
    expect(withIds.every((r) => r.path.includes('{'))).toBe(true);
    expect(routes.filter((r) => r.path.includes('{') && !r.param)).toEqual([]);
  });

  it('answers 401 to every non-public route without a token, and serves only the public ones without', async () => {
    const open: string[] = [];
    for (const route of routes) {
      const answer = await refused(route, undefined);
      if (route.roles === 'public') {
        expect([route.key, answer.status === 401]).toEqual([route.key, false]);
        open.push(route.key);
      } else {
        expect([route.key, answer.status, answer.body?.code]).toEqual([route.key, 401, 'UNAUTHENTICATED']);
      }
    }
    expect(open.sort()).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /v1/console-config', 'GET /v1/dev/tokens']);
    // Development tokens are handed out only by the embedded quick start, never by this deployment.
    expect((await get('/v1/dev/tokens', undefined)).status).toBe(404);
  });

  it('answers 403 FORBIDDEN_ROLE to every role on every route it may not call (officer tokens on inspector and admin routes included), appending nothing', async () => {
    let checked = 0;
    for (const route of routes) {
      if (route.roles === 'public') continue;
      for (const role of ROLES.filter((r) => !(route.roles as readonly Role[]).includes(r))) {
        for (const agency of role === 'officer' ? ['COUNCIL-ASB', 'FIRE'] : ['POLICE']) {
          const answer = await refused(route, await user(role, NORTH, agency));
          expect([route.key, role, agency, answer.status, answer.body.code]).toEqual([route.key, role, agency, 403, 'FORBIDDEN_ROLE']);
          checked += 1;
        }
      }
      // A token carrying no role of this API at all.
      const none = await refused(route, await token({ sub: 'u-none', name: 'No role', agency: 'POLICE', roles: [], partnerships: [NORTH] }));
      expect([route.key, none.status]).toEqual([route.key, 403]);
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('answers 403 to agency B\'s officer on every action command, whatever the action\'s state (WRONG_AGENCY where officers may act), appending nothing', async () => {
    const fire = await user('officer', NORTH, 'FIRE');
    const fireWithMoreRoles = await token({ sub: 'u-fire-2', name: 'Fire lead', agency: 'FIRE', roles: ['officer', 'manager'], partnerships: [NORTH] });
    let checked = 0;
    for (const route of routes.filter((r) => r.param === 'action' && r.method !== 'GET')) {
      for (const [state, actionId] of Object.entries(actions)) {
        for (const who of [fire, fireWithMoreRoles]) {
          const answer = await refused(route, who, { ...ids, action: actionId });
          const code = route.agencyRule ? 'WRONG_AGENCY' : 'FORBIDDEN_ROLE';
          expect([route.key, state, answer.status, answer.body.code]).toEqual([route.key, state, 403, code]);
          if (code === 'WRONG_AGENCY') expect(answer.body.detail).toContain('COUNCIL-ASB');
          checked += 1;
        }
      }
    }
    expect(checked).toBe(8 * 5 * 2);
    // The agency is the token's: one named in a body is an unknown field, not a way in.
    const spoof = await refused(ROUTES['POST /v1/actions/{id}/claim'] && { ...routes.find((r) => r.key === 'POST /v1/actions/{id}/claim')!, body: () => ({ agency: 'COUNCIL-ASB' }) }, fire, {
      ...ids,
      action: actions.unclaimed,
    });
    expect(spoof.status).toBe(400);
  });

  it('answers 403 WRONG_AGENCY to an officer asking for another agency\'s work queue, and shows them only their own', async () => {
    const fire = await user('officer', NORTH, 'FIRE');
    for (const query of ['agency=COUNCIL-ASB', 'agency=council-asb', 'agency=COUNCIL-ASB&status=unclaimed', 'agency=%20COUNCIL-ASB%20']) {
      const answer = await get(`/v1/actions?${query}`, fire);
      expect([query, answer.status, answer.body.code]).toEqual([query, 403, 'WRONG_AGENCY']);
    }
    const twice = await get('/v1/actions?agency=FIRE&agency=COUNCIL-ASB', fire);
    expect(twice.status === 403 || twice.status === 400).toBe(true);
    const own = await get(`/v1/actions?problemId=${ids.problem}`, fire);
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([]);
    const council = await get(`/v1/actions?problemId=${ids.problem}`, p.council);
    expect(council.body.items).toHaveLength(5);
    // Inspectors and managers see every agency's queue.
    expect((await get('/v1/actions?agency=COUNCIL-ASB', p.manager)).status).toBe(200);
  });

  it('answers 404 to partnership Y\'s users on every route naming an object of partnership X, exactly as for an unknown id, appending nothing', async () => {
    const unknown: Ids = { ...ids, problem: randomUUID(), action: randomUUID(), meeting: randomUUID(), area: 'nowhere-at-all', group: 'no-such-group', incident: randomUUID() };
    const scoped = routes.filter((r) => r.param && ['problem', 'action', 'meeting', 'area', 'group', 'incident'].includes(r.param));
    expect(scoped.length).toBeGreaterThanOrEqual(24);
    let checked = 0;
    for (const route of scoped) {
      for (const role of route.roles as readonly Role[]) {
        // The same agency as the object's, so only the partnership stands in the way.
        const southUser = await user(role, SOUTH, role === 'officer' ? 'COUNCIL-ASB' : 'POLICE');
        const northUser = await user(role, NORTH, role === 'officer' ? 'COUNCIL-ASB' : 'POLICE');
        const answer = await refused(route, southUser);
        expect([route.key, role, answer.status, answer.body.code]).toEqual([route.key, role, 404, 'NOT_FOUND']);
        if (route.param === 'area') continue; // PUT of an unknown area registers it: no "unknown id" twin
        const twin = await refused(route, northUser, unknown);
        expect([route.key, role, twin.status]).toEqual([route.key, role, 404]);
        const scrub = (body: { detail?: string }) => (body.detail ?? '').replace(/[0-9a-f-]{36}/g, '<id>');
        expect(scrub(answer.body)).toBe(scrub(twin.body));
        if (route.method === 'GET') {
          // The control: the same request from partnership X is answered.
          expect([route.key, role, (await get(urlOf(route, ids), northUser)).status]).toEqual([route.key, role, 200]);
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it('answers 404 to ids of another partnership carried in bodies and queries', async () => {
    const southInspector = await user('inspector', SOUTH);
    const tablePath = { method: 'POST' as const, path: '/v1/meetings/{id}/problems', param: 'meeting' as const, roles: ['inspector' as Role], key: 'table' };
    // A north problem tabled at a south meeting.
    const tabled = await refused({ ...tablePath, body: () => ({ problemId: ids.problem }) }, southInspector, { ...ids, meeting: southMeeting });
    expect([tabled.status, tabled.body.code]).toEqual([404, 'NOT_FOUND']);
    // A south meeting named by a north inspector in a review and an assignment.
    const review = await refused(
      { method: 'POST', path: '/v1/problems/{id}/reviews', param: 'problem', roles: ['inspector'], key: 'review', body: () => ({ rag: 'red', note: 'x', meetingId: southMeeting }) },
      p.inspector,
    );
    expect([review.status, review.body.code]).toEqual([404, 'NOT_FOUND']);
    const assign = await refused(
      {
        method: 'POST',
        path: '/v1/problems/{id}/actions',
        param: 'problem',
        roles: ['inspector'],
        key: 'assign',
        body: () => ({ agency: 'FIRE', description: 'x', tactic: { category: 'prevention', name: 'cctv' }, dueBy: '2030-06-30T17:00:00Z', meetingId: southMeeting }),
      },
      p.inspector,
    );
    expect([assign.status, assign.body.code]).toEqual([404, 'NOT_FOUND']);
    // Raising a problem in a partnership the caller does not hold, or in another's area.
    const raise = await refused(
      { method: 'POST', path: '/v1/problems', roles: ['inspector'], key: 'raise', body: () => ({ title: 't', description: 'd', category: 'noise', location: { areaCode: 'enfield-town' }, partnership: NORTH }) },
      southInspector,
    );
    expect([raise.status, raise.body.code]).toEqual([404, 'NOT_FOUND']);
    // Queries: suggestions for a north problem, lists narrowed to north.
    const southManager = await user('manager', SOUTH);
    for (const url of [`/v1/actions?problemId=${ids.problem}`, '/v1/problems?partnership=north', '/v1/meetings?partnership=north', `/v1/problems?areaCode=enfield-town`]) {
      const answer = await get(url, southManager);
      expect([url, answer.status, answer.body.items]).toEqual([url, 200, []]);
    }
    const groups = await get('/v1/groups', southManager);
    expect(groups.body.items.map((g: { code: string }) => g.code)).not.toContain('enfield-safe');
    const areas = await get('/v1/areas', southManager);
    expect(areas.body.items.map((a: { code: string }) => a.code)).not.toContain('enfield-town');
    const suggestions = await get(`/v1/tactical-options/suggestions?problemId=${ids.problem}`, southManager);
    expect([suggestions.status, suggestions.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  it("keeps an agency's partnerships apart: another partnership's admin neither sets its webhook there nor deactivates it", async () => {
    const southAdmin = await user('admin', SOUTH);
    const webhook = (partnership: string) => ({
      method: 'PUT' as const,
      path: '/v1/agencies/{code}/webhook',
      param: 'agency' as const,
      roles: ['admin' as Role],
      key: 'webhook',
      body: () => ({ webhookUrl: 'https://council.example/hooks/south', webhookSecret: 'a-webhook-secret-of-at-least-32-characters!', partnership }),
    });
    // North's webhook of COUNCIL-ASB: the partnership answers as unknown to a south admin.
    const foreign = await refused(webhook(NORTH), southAdmin);
    expect([foreign.status, foreign.body.code]).toEqual([404, 'NOT_FOUND']);
    // COUNCIL-ASB works north's actions: a south admin alone may not switch it off for north.
    const deactivate = await refused(
      { method: 'POST', path: '/v1/agencies/{code}/deactivate', param: 'agency', roles: ['admin'], key: 'deactivate', body: () => ({ reason: 'merged' }) },
      southAdmin,
    );
    expect([deactivate.status, deactivate.body.code]).toEqual([403, 'FORBIDDEN_ROLE']);
    expect(deactivate.body.detail).not.toMatch(/north/);
  });

  it("keeps tasking-group codes per partnership: another partnership's code is free, and its group stays unknown", async () => {
    // South registered `tottenham-tasking` (beforeAll); north may have its own, without learning of south's.
    const northAdmin = await user('admin', NORTH);
    const before = await eventCount(t.runtime.db);
    const north = await t.post('/v1/groups', { token: northAdmin, body: { code: 'tottenham-tasking', name: 'North T', areaCodes: ['edmonton'] } });
    expect([north.status, north.body.id]).toEqual([201, 'tottenham-tasking']);
    const again = await t.post('/v1/groups', { token: northAdmin, body: { code: 'tottenham-tasking', name: 'North T', areaCodes: ['edmonton'] } });
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_EXISTS']);
    // Legacy-named or not, south's group is untouched and each partnership meets with its own.
    expect(await eventCount(t.runtime.db)).toBe(before + 1);
    const northMeeting = await t.post('/v1/meetings', { token: p.inspector, body: { groupCode: 'tottenham-tasking', heldOn: '2025-04-02', chair: 'x' } });
    expect(northMeeting.status).toBe(201);
    expect(await t.runtime.projections.waitFor(northMeeting.body.position, 20_000)).toBe(true);
    const northGroups = (await get('/v1/groups', northAdmin)).body.items.filter((g: { code: string }) => g.code === 'tottenham-tasking');
    expect(northGroups).toEqual([{ code: 'tottenham-tasking', partnership: NORTH, name: 'North T', areaCodes: ['edmonton'] }]);
    const southGroups = (await get('/v1/groups', await user('manager', SOUTH))).body.items.filter((g: { code: string }) => g.code === 'tottenham-tasking');
    expect(southGroups).toEqual([{ code: 'tottenham-tasking', partnership: SOUTH, name: 'T', areaCodes: ['tottenham'] }]);
    // A caller of both partnerships sees both, paged without loss.
    const both = await token({ sub: 'u-both', name: 'Both', agency: 'POLICE', roles: ['manager'], partnerships: [NORTH, SOUTH] });
    const first = await get('/v1/groups?limit=1', both);
    const seen = [...first.body.items];
    for (let cursor = first.body.nextCursor; cursor; ) {
      const page = await get(`/v1/groups?limit=1&cursor=${cursor}`, both);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(seen.map((g: { code: string; partnership: string }) => `${g.partnership}/${g.code}`).sort()).toEqual(
      [`${NORTH}/enfield-safe`, `${NORTH}/tottenham-tasking`, `${SOUTH}/tottenham-tasking`].sort(),
    );
    // North's `enfield-safe` answers a south inspector exactly as a code nobody has.
    const southInspector = await user('inspector', SOUTH);
    const foreign = await t.post('/v1/meetings', { token: southInspector, body: { groupCode: 'enfield-safe', heldOn: '2025-04-02', chair: 'x' } });
    const unknown = await t.post('/v1/meetings', { token: southInspector, body: { groupCode: 'no-such-group', heldOn: '2025-04-02', chair: 'x' } });
    expect([foreign.status, foreign.body.code]).toEqual([422, 'UNKNOWN_GROUP']);
    expect(foreign.body.detail.replace('enfield-safe', '<code>')).toBe(unknown.body.detail.replace('no-such-group', '<code>'));
  });
});
