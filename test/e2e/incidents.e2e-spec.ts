import { randomUUID } from 'node:crypto';
import { contentHashOf, incidentIdOf } from '@tasking/application';
import { ERASED } from '@tasking/domain';
import { ROUTES, routeList, urlOf, type Ids } from '../security/support/routes';
import { NORTH } from './support/command-app';
import { incidentBody, people, problemBody, raiseProblem, recordIncident, registerReferenceData, type People } from './support/fixtures';
import { startObservedApp, type ObservedApp } from './support/personal-data-app';

/**
 * Incidents over HTTP (real PostgreSQL): reports taken at a counter, triage (link, unlink,
 * duplicate, dismiss), raising a problem from incidents in one append, the refusals, the
 * reporter kept out of every read, and the incident's own retention.
 */
describe('incidents over HTTP', () => {
  let t: ObservedApp;
  let p: People;
  let problemId: string;

  const REPORTER = { name: 'Rosalind Quickfall', email: 'rosalind.quickfall@example.org', phone: '020 7946 0123' };
  const REPORTER_STRINGS = ['Rosalind', 'Quickfall', 'rosalind.quickfall', '7946 0123'];

  const status = async (answer: Promise<{ status: number; body: any }>): Promise<[number, string | undefined]> => {
    const { status: code, body } = await answer;
    return [code, body?.code];
  };

  beforeAll(async () => {
    t = await startObservedApp({ now: new Date('2025-04-01T09:00:00Z') });
    p = await people(t);
    await registerReferenceData(t, p);
    problemId = await raiseProblem(t, p.inspector);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  describe('POST /v1/incidents', () => {
    it('records a report taken at a counter, its id and content hash derived from what it says, the reporter encrypted', async () => {
      const recorded = await t.post('/v1/incidents', { token: p.inspector, body: incidentBody({ reporter: REPORTER }) });
      expect(recorded.status).toBe(201);
      expect(recorded.body).toEqual({ id: expect.any(String), revision: 0, position: expect.any(String) });
      const [event] = await t.events(`incident-${recorded.body.id}`);
      const { externalId } = event!.data as { externalId: string };
      expect(recorded.body.id).toBe(incidentIdOf(NORTH, 'console', externalId));
      const location = { areaCode: 'enfield-town', lat: 51.652, lng: -0.081, address: '12 Church Street' };
      expect(event!.data).toEqual({
        incidentId: recorded.body.id,
        partnership: NORTH,
        source: 'console',
        externalId,
        category: 'fly-tipping',
        sourceCategory: 'fly-tipping',
        occurredAt: '2025-03-01T09:00:00Z',
        occurredPrecision: 'exact',
        location,
        unmapped: false,
        description: 'Mattresses dumped by the bins',
        reporter: REPORTER,
        channel: 'console',
        triage: true,
        contentHash: contentHashOf({
          category: 'fly-tipping',
          sourceCategory: 'fly-tipping',
          occurredAt: '2025-03-01T09:00:00Z',
          occurredPrecision: 'exact',
          location,
          description: 'Mattresses dumped by the bins',
        }),
      });
      expect(event!.metadata['actor']).toMatchObject({ userId: 'u-insp', role: 'inspector' });
      // The log holds the reporter, the address and the description only as ciphertext.
      const [raw] = await t.sql<{ data: string }>(`SELECT data::text AS data FROM "${t.schema}".events WHERE stream_id = $1`, [`incident-${recorded.body.id}`]);
      for (const text of [...REPORTER_STRINGS, 'Church Street', 'Mattresses']) expect(raw!.data).not.toContain(text);
    });

    it('records a date as precision day, and a report without an area as unmapped', async () => {
      const id = await recordIncident(t, p.council, { occurredAt: '2025-03-02', location: { lat: 51.6, lng: -0.07 } });
      expect((await t.events(`incident-${id}`))[0]!.data).toMatchObject({ occurredAt: '2025-03-02', occurredPrecision: 'day', unmapped: true, location: { lat: 51.6, lng: -0.07 } });
    });

    it("places a point in the partnership's area whose boundary holds it, and takes the triage flag from a registered source", async () => {
      const square = { type: 'Polygon', coordinates: [[[-0.2, 51.5], [-0.1, 51.5], [-0.1, 51.55], [-0.2, 51.55], [-0.2, 51.5]]] };
      expect((await t.put('/v1/areas/holloway', { token: p.admin, body: { name: 'Holloway', partnership: NORTH, centroid: { lat: 51.52, lng: -0.15 }, boundary: square } })).status).toBe(200);
      expect((await t.put('/v1/sources/council-reports', { token: p.admin, body: { name: 'Council reports desk', kind: 'council', partnership: NORTH } })).status).toBe(200);
      await t.settled();
      const id = await recordIncident(t, p.inspector, { source: 'council-reports', location: { lat: 51.52, lng: -0.15 } });
      expect((await t.events(`incident-${id}`))[0]!.data).toMatchObject({ source: 'council-reports', location: { lat: 51.52, lng: -0.15, areaCode: 'holloway' }, unmapped: false, triage: false });
    });

    it('answers a repeat with the same Idempotency-Key with the same incident', async () => {
      const call = { token: p.manager, body: incidentBody(), headers: { 'idempotency-key': 'counter-report-1' } };
      const first = await t.post('/v1/incidents', call);
      const again = await t.post('/v1/incidents', call);
      expect(first.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(await t.types(`incident-${first.body.id as string}`)).toEqual(['IncidentRecorded']);
    });

    it('refuses what it cannot record, appending nothing', async () => {
      const before = await t.sql<{ n: string }>(`SELECT count(*)::text AS n FROM "${t.schema}".events WHERE stream_id LIKE 'incident-%'`);
      const post = (body: unknown, token = p.inspector) => status(t.post('/v1/incidents', { token, body }));
      expect(await post(incidentBody({ source: 'no-such-source' }))).toEqual([422, 'UNKNOWN_SOURCE']);
      expect(await post(incidentBody({ location: { areaCode: 'nowhere' } }))).toEqual([422, 'UNKNOWN_AREA']);
      expect(await post(incidentBody({ location: { areaCode: 'tottenham' } }))).toEqual([422, 'UNKNOWN_AREA']);
      expect(await post(incidentBody({ occurredAt: '2025-04-03T09:00:00Z' }))).toEqual([400, 'VALIDATION_FAILED']);
      expect(await post(incidentBody({ occurredAt: '2014-04-03T09:00:00Z' }))).toEqual([400, 'VALIDATION_FAILED']);
      expect(await post(incidentBody({ category: 'litter' }))).toEqual([400, 'VALIDATION_FAILED']);
      expect(await post(incidentBody({ channel: 'import' }))).toEqual([400, 'VALIDATION_FAILED']);
      expect(await post(incidentBody({ reporter: { name: 'x'.repeat(201) } }))).toEqual([400, 'VALIDATION_FAILED']);
      expect(await post(incidentBody({ partnership: 'south' }))).toEqual([404, 'NOT_FOUND']);
      expect(await post(incidentBody(), p.admin)).toEqual([403, 'FORBIDDEN_ROLE']);
      const after = await t.sql<{ n: string }>(`SELECT count(*)::text AS n FROM "${t.schema}".events WHERE stream_id LIKE 'incident-%'`);
      expect(after).toEqual(before);
    });
  });

  describe('triage', () => {
    it('links an incident to a problem, refuses a second triage, and unlinks it', async () => {
      const id = await recordIncident(t, p.inspector);
      const link = (body: unknown, token = p.inspector) => status(t.post(`/v1/incidents/${id}/link`, { token, body }));
      expect(await link({ problemId }, p.manager)).toEqual([403, 'FORBIDDEN_ROLE']);
      expect(await link({ problemId: randomUUID() })).toEqual([404, 'NOT_FOUND']);
      const linked = await t.post(`/v1/incidents/${id}/link`, { token: p.inspector, body: { problemId } });
      expect(linked.status).toBe(200);
      expect(linked.body).toEqual({ id, revision: 1, position: expect.any(String) });
      expect(await link({ problemId })).toEqual([409, 'INCIDENT_ALREADY_TRIAGED']);
      expect(await status(t.post(`/v1/incidents/${id}/dismiss`, { token: p.inspector, body: { reasonCode: 'test' } }))).toEqual([409, 'INCIDENT_ALREADY_TRIAGED']);
      expect(await status(t.post(`/v1/incidents/${id}/unlink`, { token: p.inspector, body: { reason: 'Linked to the wrong problem' } }))).toEqual([200, undefined]);
      expect(await status(t.post(`/v1/incidents/${id}/unlink`, { token: p.inspector, body: { reason: 'again' } }))).toEqual([409, 'INCIDENT_NOT_LINKED']);
      const events = await t.events(`incident-${id}`);
      expect(events.map((e) => [e.type, e.data])).toEqual([
        ['IncidentRecorded', expect.any(Object)],
        ['IncidentLinked', { problemId }],
        ['IncidentUnlinked', { problemId, reason: 'Linked to the wrong problem' }],
      ]);
    });

    it("answers 404 for another partnership's problem, as for an unknown one, and 409 for a closed problem", async () => {
      const id = await recordIncident(t, p.inspector);
      const southProblem = await raiseProblem(t, p.southInspector, { location: { areaCode: 'tottenham' } });
      const foreign = await t.post(`/v1/incidents/${id}/link`, { token: p.inspector, body: { problemId: southProblem } });
      const unknown = await t.post(`/v1/incidents/${id}/link`, { token: p.inspector, body: { problemId: randomUUID() } });
      expect([foreign.status, foreign.body.code]).toEqual([404, 'NOT_FOUND']);
      expect(foreign.body.detail.replace(/[0-9a-f-]{36}/g, '<id>')).toBe(unknown.body.detail.replace(/[0-9a-f-]{36}/g, '<id>'));
      // The south inspector cannot see the north incident at all.
      expect(await status(t.post(`/v1/incidents/${id}/link`, { token: p.southInspector, body: { problemId: southProblem } }))).toEqual([404, 'NOT_FOUND']);

      const closed = await raiseProblem(t, p.inspector, { title: 'Closed already' });
      expect((await t.post(`/v1/problems/${closed}/close`, { token: p.manager, body: { outcome: 'reduced', assessment: 'fewer', override: true, overrideReason: 'test' } })).status).toBe(200);
      expect(await status(t.post(`/v1/incidents/${id}/link`, { token: p.inspector, body: { problemId: closed } }))).toEqual([409, 'PROBLEM_CLOSED']);
      expect(await t.types(`incident-${id}`)).toEqual(['IncidentRecorded']);
    });

    it('marks an incident a duplicate of another, never of itself, and dismisses with a reason code', async () => {
      const original = await recordIncident(t, p.inspector);
      const repeat = await recordIncident(t, p.inspector);
      expect(await status(t.post(`/v1/incidents/${repeat}/duplicate`, { token: p.inspector, body: { of: repeat } }))).toEqual([400, 'VALIDATION_FAILED']);
      expect(await status(t.post(`/v1/incidents/${repeat}/duplicate`, { token: p.inspector, body: { of: randomUUID() } }))).toEqual([404, 'NOT_FOUND']);
      expect(await status(t.post(`/v1/incidents/${repeat}/duplicate`, { token: p.inspector, body: { of: original } }))).toEqual([200, undefined]);
      expect((await t.events(`incident-${repeat}`))[1]!.data).toEqual({ of: original });

      expect(await status(t.post(`/v1/incidents/${original}/dismiss`, { token: p.inspector, body: { reasonCode: 'bored' } }))).toEqual([400, 'VALIDATION_FAILED']);
      expect(await status(t.post(`/v1/incidents/${original}/dismiss`, { token: p.inspector, body: { reasonCode: 'not-a-problem', note: 'Collected the same day' } }))).toEqual([200, undefined]);
      expect((await t.events(`incident-${original}`))[1]!.data).toEqual({ reasonCode: 'not-a-problem', note: 'Collected the same day' });
      expect(await status(t.post(`/v1/incidents/${randomUUID()}/dismiss`, { token: p.inspector, body: { reasonCode: 'test' } }))).toEqual([404, 'NOT_FOUND']);
    });
  });

  describe('POST /v1/problems with incidentIds', () => {
    it('raises the problem and links the incidents in the same append', async () => {
      const a = await recordIncident(t, p.inspector);
      const b = await recordIncident(t, p.council);
      const raised = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ title: 'Fly-tipping behind the parade', incidentIds: [a, b.toUpperCase()] }) });
      expect(raised.status).toBe(201);
      const problem = raised.body.id as string;
      const [problemEvent] = await t.events(`problem-${problem}`);
      for (const id of [a, b]) {
        const [, linked] = await t.events(`incident-${id}`);
        expect([linked!.type, linked!.data]).toEqual(['IncidentLinked', { problemId: problem }]);
        // One append: one transaction.
        expect(linked!.position.split('-')[0]).toBe(problemEvent!.position.split('-')[0]);
      }
    });

    it('refuses the whole raise when one incident cannot be linked, appending nothing', async () => {
      const fresh = await recordIncident(t, p.inspector);
      const dismissed = await recordIncident(t, p.inspector);
      expect((await t.post(`/v1/incidents/${dismissed}/dismiss`, { token: p.inspector, body: { reasonCode: 'test' } })).status).toBe(200);
      const before = await t.sql<{ n: string }>(`SELECT count(*)::text AS n FROM "${t.schema}".events`);
      const raise = (incidentIds: unknown) => status(t.post('/v1/problems', { token: p.inspector, body: problemBody({ incidentIds }) }));
      expect(await raise([fresh, dismissed])).toEqual([409, 'INCIDENT_ALREADY_TRIAGED']);
      expect(await raise([fresh, randomUUID()])).toEqual([404, 'NOT_FOUND']);
      expect(await raise([fresh, fresh])).toEqual([400, 'VALIDATION_FAILED']);
      expect(await raise(['not-a-uuid'])).toEqual([400, 'VALIDATION_FAILED']);
      expect(await raise(Array.from({ length: 101 }, () => randomUUID()))).toEqual([400, 'VALIDATION_FAILED']);
      const southIncident = await recordIncident(t, p.southInspector, { location: { areaCode: 'tottenham' } });
      expect(await raise([southIncident])).toEqual([404, 'NOT_FOUND']);
      const after = await t.sql<{ n: string }>(`SELECT count(*)::text AS n FROM "${t.schema}".events`);
      expect(Number(after[0]!.n)).toBe(Number(before[0]!.n) + 1); // the south incident alone
      expect(await t.types(`incident-${fresh}`)).toEqual(['IncidentRecorded']);
    });
  });

  it('never shows a reporter in any GET the API serves, whoever asks', async () => {
    const id = await recordIncident(t, p.inspector, { reporter: REPORTER });
    expect((await t.post(`/v1/incidents/${id}/link`, { token: p.inspector, body: { problemId } })).status).toBe(200);
    await t.settled();
    const ids: Ids = { problem: problemId, action: randomUUID(), meeting: randomUUID(), area: 'enfield-town', group: 'enfield-safe', agency: 'COUNCIL-ASB', projection: 'problems', job: randomUUID(), incident: id, source: 'console', import: randomUUID(), open311client: randomUUID(), partnership: 'north', category: 'noise' };
    const routes = routeList().filter((route) => route.method === 'GET' && route.key !== 'GET /v1/dev/tokens');
    expect(routes.length).toBe(Object.keys(ROUTES).filter((key) => key.startsWith('GET ') && key !== 'GET /v1/dev/tokens').length);
    let answered = 0;
    for (const route of routes) {
      for (const token of [p.inspector, p.manager, p.council, p.admin, undefined]) {
        const answer = await t.get(urlOf(route, ids), { token });
        for (const text of REPORTER_STRINGS) expect([route.key, answer.text.includes(text)]).toEqual([route.key, false]);
        if (answer.status === 200) answered += 1;
      }
    }
    expect(answered).toBeGreaterThan(40);
  });

  describe('retention', () => {
    it("erases an incident's personal data two years after recording, and a linked incident's only once its problem's retention has ended", async () => {
      t.clock.set(new Date('2025-05-01T10:00:00Z'));
      const alone = await recordIncident(t, p.inspector, { reporter: REPORTER });
      const linkedTo = await raiseProblem(t, p.inspector, { title: 'Kept for the linked incident' });
      const linked = await recordIncident(t, p.inspector, { reporter: REPORTER });
      expect((await t.post(`/v1/incidents/${linked}/link`, { token: p.inspector, body: { problemId: linkedTo } })).status).toBe(200);
      t.clock.set(new Date('2025-06-01T10:00:00Z'));
      expect((await t.post(`/v1/problems/${linkedTo}/close`, { token: p.manager, body: { outcome: 'reduced', assessment: 'fewer', override: true, overrideReason: 'test' } })).status).toBe(200);
      const sweep = async () => (await t.runtime.personalData.retention.sweep()).erasedIncidents;

      t.clock.set(new Date('2027-05-01T09:59:00Z'));
      expect(await sweep()).not.toContain(alone);
      t.clock.set(new Date('2027-05-01T10:00:01Z'));
      const erased = await sweep();
      expect(erased).toContain(alone);
      expect(erased).not.toContain(linked);
      expect(await sweep()).not.toContain(alone);
      const [recorded] = await t.events(`incident-${alone}`);
      expect(recorded!.data).toMatchObject({ reporter: { name: ERASED, email: ERASED, phone: ERASED }, description: ERASED, location: { address: ERASED, areaCode: 'enfield-town' } });
      const [erasure] = (await t.events(`incident-${alone}`)).filter((e) => e.type === 'IncidentPersonalDataErased');
      expect(erasure!.metadata['actor']).toEqual({ system: 'retention' });
      const keys = await t.sql<{ erased: boolean }>(`SELECT erased_at IS NOT NULL AS erased FROM "${t.schema}".data_keys WHERE key_id = $1`, [alone]);
      expect(keys).toEqual([{ erased: true }]);
      expect((await t.events(`incident-${linked}`))[0]!.data['reporter']).toEqual(REPORTER);

      // Six years after the problem's closure its retention ends, and the linked incident's with it.
      t.clock.set(new Date('2031-06-01T10:00:01Z'));
      const result = await t.runtime.personalData.retention.sweep();
      expect(result.erased).toContain(linkedTo);
      expect(result.erasedIncidents).toContain(linked);
      expect((await t.events(`incident-${linked}`))[0]!.data['reporter']).toEqual({ name: ERASED, email: ERASED, phone: ERASED });
      for (const text of REPORTER_STRINGS) expect(await t.tablesContaining(text)).toEqual([]);
    });
  });
});
