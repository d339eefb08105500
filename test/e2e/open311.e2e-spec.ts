import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { DomainEvent, EventData } from '@tasking/domain';
import { StoryClock } from '../support/story-clock';
import { NORTH, SOUTH, startCommandApp, type CommandApp } from './support/command-app';
import { DUE_BY, people, problemBody, registerReferenceData, type People } from './support/fixtures';

const xml = new XMLParser({ isArray: (name) => ['service', 'request', 'error', 'request_update'].includes(name), parseTagValue: false });

/** Yesterday: the routes list the last 90 days by default, on the real clock. */
const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString();

const recorded = (incidentId: string, clientId: string, data: Partial<EventData<'IncidentRecorded'>> = {}): DomainEvent => ({
  type: 'IncidentRecorded',
  data: {
    incidentId,
    partnership: NORTH,
    source: 'open311',
    externalId: `${clientId}:${incidentId}`,
    category: 'fly-tipping',
    sourceCategory: 'fly-tipping',
    occurredAt: YESTERDAY,
    occurredPrecision: 'exact',
    reportedAt: YESTERDAY,
    location: { lat: 51.652345, lng: -0.081549, areaCode: 'enfield-town' },
    unmapped: false,
    channel: 'open311',
    triage: true,
    contentHash: 'h',
    ...data,
  },
});

describe('Open311 GeoReport v2', () => {
  let t: CommandApp;
  let p: People;
  const clock = new StoryClock();
  let fixMyStreet: { id: string; apiKey: string };
  let otherApp: { id: string; apiKey: string };

  const get = async (url: string) => {
    const response = await t.app.getHttpAdapter().getInstance().inject({ method: 'GET', url });
    return { status: response.statusCode, type: String(response.headers['content-type']), text: response.body, headers: response.headers };
  };
  const caughtUp = async (position: string) => expect(await t.runtime.projections.waitFor(position, 20_000)).toBe(true);
  const register = async (name: string, partnership: string, externalIdAttribute?: string) => {
    const answer = await t.post('/v1/open311/clients', { token: p.admin, body: { name, partnership, ...(externalIdAttribute ? { externalIdAttribute } : {}) } });
    expect(answer.status).toBe(201);
    await caughtUp(answer.body.position);
    return { id: answer.body.id as string, apiKey: answer.body.apiKey as string };
  };

  beforeAll(async () => {
    t = await startCommandApp({}, { clock });
    p = await people(t);
    fixMyStreet = await register('FixMyStreet', NORTH, 'fixmystreet_id');
    otherApp = await register('Another app', NORTH);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('clients', () => {
    it('registers a client with a key shown once and stored only as a hash', async () => {
      expect(fixMyStreet.apiKey).toMatch(/^[0-9a-f]{32}$/);
      const [registered] = await t.events(`open311client-${fixMyStreet.id}`);
      expect(registered).toMatchObject({ type: 'Open311ClientRegistered', data: { partnership: NORTH, name: 'FixMyStreet', externalIdAttribute: 'fixmystreet_id', keyPrefix: fixMyStreet.apiKey.slice(0, 8) } });
      expect(JSON.stringify(registered)).not.toContain(fixMyStreet.apiKey);
    });

    it('only admins register and revoke clients', async () => {
      expect((await t.post('/v1/open311/clients', { token: p.inspector, body: { name: 'x' } })).status).toBe(403);
      expect((await t.post(`/v1/open311/clients/${fixMyStreet.id}/revoke`, { token: p.manager })).status).toBe(403);
    });

    it('refuses unknown fields and a bad external id attribute', async () => {
      const answer = await t.post('/v1/open311/clients', { token: p.admin, body: { name: 'x', partnership: NORTH, externalIdAttribute: 'attribute[x]', colour: 'red' } });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('discovery and services', () => {
    it('answers discovery in XML by default and in JSON', async () => {
      const answer = await get('/open311/v2/discovery');
      expect(answer.status).toBe(200);
      expect(answer.type).toContain('text/xml');
      expect(answer.text.startsWith('<?xml version="1.0" encoding="utf-8"?><discovery>')).toBe(true);
      const json = await get('/open311/v2/discovery.json');
      expect(json.type).toContain('application/json');
      expect(JSON.parse(json.text)).toMatchObject({ endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['text/xml', 'application/json'] }] });
    });

    it('lists every category but hate crime and exploitation, then follows the partnership’s changes', async () => {
      const before = JSON.parse((await get(`/open311/v2/services.json?jurisdiction_id=${NORTH}`)).text) as { service_code: string }[];
      expect(before.map((s) => s.service_code)).toContain('fly-tipping');
      expect(before.map((s) => s.service_code)).not.toContain('hate-crime');
      expect(before.map((s) => s.service_code)).not.toContain('exploitation');
      expect(before[0]).toMatchObject({ metadata: false, type: 'realtime' });

      const off = await t.put('/v1/open311/services/parking', { token: p.northAdmin, body: { reportable: false } });
      expect(off.status).toBe(200);
      const named = await t.put('/v1/open311/services/hate-crime', { token: p.northAdmin, body: { reportable: true, name: 'Hate incident', description: 'Report a hate incident' } });
      expect(named.status).toBe(200);
      await caughtUp(named.body.position);

      const after = xml.parse((await get(`/open311/v2/services.xml?jurisdiction_id=${NORTH}&unknown=ignored`)).text) as { services: { service: Record<string, string>[] } };
      const codes = after.services.service.map((s) => s['service_code']);
      expect(codes).not.toContain('parking');
      expect(after.services.service.find((s) => s['service_code'] === 'hate-crime')).toMatchObject({ service_name: 'Hate incident', description: 'Report a hate incident', metadata: 'false' });
      // The other partnership keeps its defaults.
      const south = JSON.parse((await get(`/open311/v2/services.json?jurisdiction_id=${SOUTH}`)).text) as { service_code: string }[];
      expect(south.map((s) => s.service_code)).toContain('parking');

      const definition = await get(`/open311/v2/services/hate-crime.json?jurisdiction_id=${NORTH}`);
      expect(JSON.parse(definition.text)).toEqual({ service_code: 'hate-crime', attributes: [] });
      expect((await get(`/open311/v2/services/parking.xml?jurisdiction_id=${NORTH}`)).status).toBe(404);
    });

    it('takes a partnership alias as jurisdiction_id', async () => {
      const settings = await t.put(`/v1/partnerships/${NORTH}/settings`, { token: p.northAdmin, body: { open311Jurisdictions: ['enfield.gov.uk'] } });
      expect(settings.status).toBe(200);
      await caughtUp(settings.body.position);
      const answer = await get('/open311/v2/services.json?jurisdiction_id=enfield.gov.uk');
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.text) as unknown[]).length).toBeGreaterThan(10);
      expect((await t.put(`/v1/partnerships/${SOUTH}/settings`, { token: p.northAdmin, body: { publicDescriptions: true } })).status).toBe(404);
    });
  });

  describe('errors in the specification’s format', () => {
    it('answers an unknown jurisdiction 403 in XML and JSON', async () => {
      const asXml = await get('/open311/v2/services.xml?jurisdiction_id=atlantis');
      expect(asXml.status).toBe(403);
      expect(asXml.type).toContain('text/xml');
      expect(xml.parse(asXml.text)).toEqual({ '?xml': '', errors: { error: [{ code: '403', description: 'jurisdiction_id is not served here' }] } });
      const asJson = await get('/open311/v2/services.json?jurisdiction_id=atlantis');
      expect(asJson.status).toBe(403);
      expect(JSON.parse(asJson.text)).toEqual([{ code: 403, description: 'jurisdiction_id is not served here' }]);
    });

    it('needs jurisdiction_id where the deployment serves several partnerships', async () => {
      const answer = await get('/open311/v2/services.json');
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toEqual([{ code: 400, description: 'jurisdiction_id is required' }]);
    });

    it('answers an unknown route and an unknown request 404', async () => {
      expect(JSON.parse((await get('/open311/v2/nothing-here.json')).text)).toEqual([{ code: 404, description: 'no such route' }]);
      const unknown = await get(`/open311/v2/requests/${randomUUID()}.xml?jurisdiction_id=${NORTH}`);
      expect(unknown.status).toBe(404);
      expect(xml.parse(unknown.text).errors.error[0].code).toBe('404');
    });

    it('answers bad dates 400', async () => {
      const answer = await get(`/open311/v2/requests.json?jurisdiction_id=${NORTH}&start_date=yesterday`);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)[0].description).toContain('start_date must be a W3C date-time');
    });

    it('form-encoded bodies are taken on the Open311 routes only', async () => {
      const response = await t.app.getHttpAdapter().getInstance().inject({
        method: 'POST',
        url: '/v1/open311/clients',
        headers: { authorization: `Bearer ${p.admin}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'name=x',
      });
      expect(response.statusCode).toBe(415);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });
  });

  describe('requests and updates', () => {
    const flyTip = randomUUID();
    const noise = randomUUID();
    let problemId: string;

    beforeAll(async () => {
      await t.runtime.store.append([
        { stream: `incident-${flyTip}`, expectedRevision: 'no-stream', events: [{ eventId: randomUUID(), ...recorded(flyTip, fixMyStreet.id), metadata: {} }] },
        {
          stream: `incident-${noise}`,
          expectedRevision: 'no-stream',
          events: [{ eventId: randomUUID(), ...recorded(noise, fixMyStreet.id, { category: 'noise', sourceCategory: 'noise' }), metadata: {} }],
        },
      ]);
    });

    it('lists reports with rounded coordinates, and sensitive ones only to the client that posted them', async () => {
      const { position } = await t.runtime.store.append([
        { stream: `incident-${flyTip}`, expectedRevision: 0, events: [{ eventId: randomUUID(), type: 'IncidentDismissed', data: { reasonCode: 'out-of-area' }, metadata: {} }] },
      ]);
      await caughtUp(position);
      const anyone = JSON.parse((await get(`/open311/v2/requests.json?jurisdiction_id=${NORTH}`)).text) as Record<string, unknown>[];
      expect(anyone.map((r) => r['service_request_id'])).toEqual([flyTip]);
      expect(anyone[0]).toMatchObject({ status: 'closed', service_code: 'fly-tipping', service_name: 'Fly tipping', lat: 51.652, long: -0.082, address: null, media_url: null, description: null });

      const poster = JSON.parse((await get(`/open311/v2/requests.json?jurisdiction_id=${NORTH}&api_key=${fixMyStreet.apiKey}`)).text) as Record<string, unknown>[];
      expect(poster.map((r) => r['service_request_id']).sort()).toEqual([flyTip, noise].sort());
      const other = JSON.parse((await get(`/open311/v2/requests.json?api_key=${otherApp.apiKey}`)).text) as Record<string, unknown>[];
      expect(other.map((r) => r['service_request_id'])).toEqual([flyTip]);
      expect((await get(`/open311/v2/requests/${noise}.json?jurisdiction_id=${NORTH}`)).status).toBe(404);

      const one = xml.parse((await get(`/open311/v2/requests/${flyTip}.xml?jurisdiction_id=${NORTH}`)).text) as { service_requests: { request: Record<string, string>[] } };
      expect(one.service_requests.request).toHaveLength(1);
      expect(one.service_requests.request[0]).toMatchObject({ service_request_id: flyTip, status: 'closed', lat: '51.652', long: '-0.082' });

      const filtered = JSON.parse((await get(`/open311/v2/requests.json?jurisdiction_id=${NORTH}&status=open`)).text) as unknown[];
      expect(filtered).toEqual([]);
      const outside = JSON.parse((await get(`/open311/v2/requests.json?jurisdiction_id=${NORTH}&start_date=2026-01-01T00:00:00Z&end_date=2026-02-01T00:00:00Z`)).text) as unknown[];
      expect(outside).toEqual([]);
    });

    it('lists the client’s status changes in FixMyStreet’s extended statuses, with its key only', async () => {
      await registerReferenceData(t, p);
      const raised = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ category: 'noise' }) });
      expect(raised.status).toBe(201);
      problemId = raised.body.id;
      await t.runtime.store.append([
        { stream: `incident-${noise}`, expectedRevision: 0, events: [{ eventId: randomUUID(), type: 'IncidentLinked', data: { problemId }, metadata: {} }] },
      ]);
      const agreed = await t.post(`/v1/problems/${problemId}/actions`, {
        token: p.inspector,
        body: { agency: 'COUNCIL-ASB', description: 'Noise abatement visit', tactic: { category: 'enforcement', name: 'warning letter' }, dueBy: DUE_BY },
      });
      expect(agreed.status).toBe(201);
      await caughtUp(agreed.body.position);
      const updates = xml.parse((await get(`/open311/v2/servicerequestupdates.xml?api_key=${fixMyStreet.apiKey}`)).text) as {
        service_request_updates: { request_update: Record<string, string>[] };
      };
      expect(updates.service_request_updates.request_update.map((u) => [u['service_request_id'], u['status']])).toEqual([
        [flyTip, 'NOT_COUNCILS_RESPONSIBILITY'],
        [noise, 'IN_PROGRESS'],
      ]);
      expect(JSON.parse((await get(`/open311/v2/servicerequestupdates.json?api_key=${otherApp.apiKey}`)).text)).toEqual([]);
      const keyless = await get('/open311/v2/servicerequestupdates.json');
      expect(keyless.status).toBe(403);
      expect(JSON.parse(keyless.text)).toEqual([{ code: 403, description: 'api_key is required' }]);
    });

    it('refuses a revoked key', async () => {
      const revoked = await register('Revoked app', NORTH);
      const answer = await t.post(`/v1/open311/clients/${revoked.id}/revoke`, { token: p.admin });
      expect(answer.status).toBe(200);
      await caughtUp(answer.body.position);
      const refused = await get(`/open311/v2/servicerequestupdates.xml?api_key=${revoked.apiKey}`);
      expect(refused.status).toBe(403);
      expect(xml.parse(refused.text).errors.error[0]).toEqual({ code: '403', description: 'api_key is not valid' });
      expect((await get(`/open311/v2/requests.json?api_key=${revoked.apiKey}`)).status).toBe(403);
    });

    it('refuses a jurisdiction that is not the client’s', async () => {
      expect((await get(`/open311/v2/servicerequestupdates.json?api_key=${fixMyStreet.apiKey}&jurisdiction_id=${SOUTH}`)).status).toBe(403);
      expect((await get(`/open311/v2/servicerequestupdates.json?api_key=${fixMyStreet.apiKey}&jurisdiction_id=enfield.gov.uk`)).status).toBe(200);
    });
  });
});
