import { startCommandApp, type CommandApp } from './support/command-app';
import { actionBody, assignAction, claimAndDischarge, people, problemBody, raiseProblem, registerReferenceData, type People } from './support/fixtures';

describe('commands over HTTP: refusals', () => {
  let t: CommandApp;
  let p: People;

  beforeAll(async () => {
    t = await startCommandApp();
    p = await people(t);
    await registerReferenceData(t, p);
  });

  afterAll(async () => {
    await t?.close();
  });

  /** Every event of these streams, to show a refused command appended nothing. */
  const snapshot = async (...streams: string[]) => Promise.all(streams.map((s) => t.events(s)));

  /** A problem with one action assigned to COUNCIL-ASB. */
  async function problemWithAction(): Promise<{ problemId: string; actionId: string; streams: string[] }> {
    const problemId = await raiseProblem(t, p.inspector);
    const actionId = await assignAction(t, p.inspector, problemId, 'COUNCIL-ASB');
    return { problemId, actionId, streams: [`problem-${problemId}`, `action-${actionId}`] };
  }

  describe('state and permission rules of the domain', () => {
    it('answers 403 WRONG_AGENCY to an officer of another agency, whatever the state, and appends nothing', async () => {
      const { actionId, streams } = await problemWithAction();
      const before = await snapshot(...streams);
      const refused = await t.post(`/v1/actions/${actionId}/claim`, { token: p.fire });
      expect(refused.status).toBe(403);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 403, code: 'WRONG_AGENCY', detail: 'only officers of agency COUNCIL-ASB may claim this action' });
      for (const [path, body] of [
        ['decline', { reasonCode: 'other', note: '' }],
        ['interventions', { tactic: { category: 'prevention', name: 'cctv' }, description: 'x', occurredAt: '2025-03-01' }],
        ['discharge', { result: 'completed', note: '' }],
      ] as const) {
        expect((await t.post(`/v1/actions/${actionId}/${path}`, { token: p.fire, body })).body.code).toBe('WRONG_AGENCY');
      }
      expect(await snapshot(...streams)).toEqual(before);
    });

    it('answers 409 ACTION_ALREADY_CLAIMED to a second claim', async () => {
      const { actionId, streams } = await problemWithAction();
      expect((await t.post(`/v1/actions/${actionId}/claim`, { token: p.council })).status).toBe(200);
      const before = await snapshot(...streams);
      const second = await t.post(`/v1/actions/${actionId}/claim`, { token: p.council2 });
      expect(second).toMatchObject({ status: 409, body: { code: 'ACTION_ALREADY_CLAIMED', detail: expect.stringContaining('Sam Patel') } });
      expect(await snapshot(...streams)).toEqual(before);
    });

    it('answers 403 NOT_CLAIMANT to an officer releasing a colleague\'s claim; an inspector may', async () => {
      const { actionId } = await problemWithAction();
      expect((await t.post(`/v1/actions/${actionId}/claim`, { token: p.council })).status).toBe(200);
      expect((await t.post(`/v1/actions/${actionId}/release`, { token: p.council2, body: { reason: 'x' } })).body.code).toBe('NOT_CLAIMANT');
      expect((await t.post(`/v1/actions/${actionId}/release`, { token: p.inspector, body: { reason: 'Officer away' } })).status).toBe(200);
    });

    it('answers 409 ACTION_NOT_CLAIMED to discharging an unclaimed action', async () => {
      const { actionId, streams } = await problemWithAction();
      const before = await snapshot(...streams);
      const refused = await t.post(`/v1/actions/${actionId}/discharge`, { token: p.council, body: { result: 'completed', note: 'done' } });
      expect(refused).toMatchObject({ status: 409, body: { code: 'ACTION_NOT_CLAIMED' } });
      expect(await snapshot(...streams)).toEqual(before);
    });

    it('answers 409 ACTIONS_OUTSTANDING to closing a problem with an open action, and appends nothing', async () => {
      const { problemId, streams } = await problemWithAction();
      const done = await assignAction(t, p.inspector, problemId, 'FIRE');
      await claimAndDischarge(t, p.fire, done);
      const before = await snapshot(...streams, `action-${done}`);
      const refused = await t.post(`/v1/problems/${problemId}/close`, { token: p.inspector, body: { outcome: 'reduced', assessment: 'Better' } });
      expect(refused).toMatchObject({ status: 409, body: { code: 'ACTIONS_OUTSTANDING', detail: expect.stringContaining('COUNCIL-ASB') } });
      expect(await snapshot(...streams, `action-${done}`)).toEqual(before);
    });

    it('closes with override and a reason, cancelling every open action in the same append', async () => {
      const { problemId, actionId } = await problemWithAction();
      const declined = await assignAction(t, p.inspector, problemId, 'FIRE');
      expect((await t.post(`/v1/actions/${declined}/decline`, { token: p.fire, body: { reasonCode: 'no-capacity', note: '' } })).status).toBe(200);
      const discharged = await assignAction(t, p.inspector, problemId, 'HOUSING');
      await claimAndDischarge(t, p.housing, discharged);

      const withoutReason = await t.post(`/v1/problems/${problemId}/close`, { token: p.inspector, body: { outcome: 'no-change', assessment: 'Moved on', override: true } });
      expect(withoutReason).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ field: 'overrideReason' }] } });

      const closed = await t.post(`/v1/problems/${problemId}/close`, {
        token: p.manager,
        body: { outcome: 'no-change', assessment: 'Moved on', override: true, overrideReason: 'Group dispersed to another borough' },
      });
      expect(closed).toMatchObject({ status: 200, body: { id: problemId } });

      const problemEvents = await t.events(`problem-${problemId}`);
      const closure = problemEvents[problemEvents.length - 1]!;
      expect(closure).toMatchObject({ type: 'ProblemClosed', data: { override: true, overrideReason: 'Group dispersed to another borough' } });
      expect(closed.body.revision).toBe(closure.revision);
      for (const id of [actionId, declined]) {
        const events = await t.events(`action-${id}`);
        const last = events[events.length - 1]!;
        expect(last).toMatchObject({ type: 'ActionCancelled', data: { reason: 'problem closed with override: Group dispersed to another borough' } });
        expect(last.position.split('-')[0]).toBe(closure.position.split('-')[0]);
      }
      expect((await t.types(`action-${discharged}`)).slice(-1)).toEqual(['ActionDischarged']);
      expect(closed.body.position).toBe([...problemEvents, ...(await t.events(`action-${declined}`))].map((e) => e.position).sort().pop());
    });

    it('answers 409 PROBLEM_CLOSED to assigning on a closed problem and PROBLEM_NOT_CLOSED to reopening an open one', async () => {
      const problemId = await raiseProblem(t, p.inspector);
      expect((await t.post(`/v1/problems/${problemId}/reopen`, { token: p.inspector, body: { reason: 'x' } })).body.code).toBe('PROBLEM_NOT_CLOSED');
      expect((await t.post(`/v1/problems/${problemId}/close`, { token: p.inspector, body: { outcome: 'eliminated', assessment: 'Gone' } })).status).toBe(200);
      const refused = await t.post(`/v1/problems/${problemId}/actions`, { token: p.inspector, body: actionBody('COUNCIL-ASB') });
      expect(refused).toMatchObject({ status: 409, body: { code: 'PROBLEM_CLOSED' } });
      expect(await t.types(`problem-${problemId}`)).toEqual(['ProblemRaised', 'ProblemClosed']);
    });

    it('answers 422 to unknown references: tactic, agency, area, group', async () => {
      const problemId = await raiseProblem(t, p.inspector);
      const tactic = await t.post(`/v1/problems/${problemId}/actions`, { token: p.inspector, body: actionBody('COUNCIL-ASB', { tactic: { category: 'prevention', name: 'moat digging' } }) });
      expect(tactic).toMatchObject({ status: 422, body: { code: 'UNKNOWN_TACTIC', detail: expect.stringContaining('moat digging') } });
      const agency = await t.post(`/v1/problems/${problemId}/actions`, { token: p.inspector, body: actionBody('NOBODY') });
      expect(agency).toMatchObject({ status: 422, body: { code: 'UNKNOWN_AGENCY' } });
      expect(await t.types(`problem-${problemId}`)).toEqual(['ProblemRaised']);

      const area = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ location: { areaCode: 'atlantis' } }) });
      expect(area).toMatchObject({ status: 422, body: { code: 'UNKNOWN_AREA' } });
      // An area of another partnership is unknown here.
      const southArea = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ location: { areaCode: 'tottenham' } }) });
      expect(southArea).toMatchObject({ status: 422, body: { code: 'UNKNOWN_AREA' } });
      const group = await t.post('/v1/meetings', { token: p.inspector, body: { groupCode: 'no-such-group', heldOn: '2025-03-10', chair: 'x' } });
      expect(group).toMatchObject({ status: 422, body: { code: 'UNKNOWN_GROUP' } });
      const groupAreas = await t.post('/v1/groups', { token: p.northAdmin, body: { code: 'other-group', name: 'Other', areaCodes: ['tottenham'] } });
      expect(groupAreas).toMatchObject({ status: 422, body: { code: 'UNKNOWN_AREA' } });
    });

    it('answers 409 ALREADY_EXISTS to registering an agency or group twice', async () => {
      const agency = await t.post('/v1/agencies', { token: p.admin, body: { code: 'POLICE', name: 'Police again', kind: 'police' } });
      expect(agency).toMatchObject({ status: 409, body: { code: 'ALREADY_EXISTS' } });
      const group = await t.post('/v1/groups', { token: p.northAdmin, body: { code: 'enfield-safe', name: 'Again', areaCodes: [] } });
      expect(group).toMatchObject({ status: 409, body: { code: 'ALREADY_EXISTS' } });
    });

    it('answers 409 MEETING_CLOSED to tabling at a closed meeting', async () => {
      const meetingId = (await t.post('/v1/meetings', { token: p.inspector, body: { groupCode: 'enfield-safe', heldOn: '2025-03-10T18:00:00+00:00', chair: 'x' } })).body.id;
      expect((await t.post(`/v1/meetings/${meetingId}/close`, { token: p.inspector, body: { minutesNote: '' } })).status).toBe(200);
      const problemId = await raiseProblem(t, p.inspector);
      const refused = await t.post(`/v1/meetings/${meetingId}/problems`, { token: p.inspector, body: { problemId } });
      expect(refused).toMatchObject({ status: 409, body: { code: 'MEETING_CLOSED' } });
      const review = await t.post(`/v1/problems/${problemId}/reviews`, { token: p.inspector, body: { rag: 'red', note: 'x', meetingId: '00000000-0000-4000-8000-000000000000' } });
      expect(review).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    });
  });

  describe('authentication, roles and partnerships', () => {
    it('answers 401 without a token or with a bad one', async () => {
      const none = await t.post('/v1/problems', { body: problemBody() });
      expect(none).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
      const forged = await t.post('/v1/problems', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', body: problemBody() });
      expect(forged).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
      expect((await t.post('/v1/actions/00000000-0000-4000-8000-000000000000/claim', {})).status).toBe(401);
    });

    it('answers 403 FORBIDDEN_ROLE to a role the route does not allow', async () => {
      expect((await t.post('/v1/problems', { token: p.council, body: problemBody() })).body).toMatchObject({ status: 403, code: 'FORBIDDEN_ROLE' });
      expect((await t.post('/v1/agencies', { token: p.inspector, body: { code: 'X', name: 'x', kind: 'other' } })).status).toBe(403);
      const problemId = await raiseProblem(t, p.inspector);
      // Managers close problems but do not reopen or amend them; officers do neither.
      expect((await t.post(`/v1/problems/${problemId}/amend`, { token: p.manager, body: { title: 'x' } })).body.code).toBe('FORBIDDEN_ROLE');
      expect((await t.post(`/v1/problems/${problemId}/close`, { token: p.council, body: { outcome: 'reduced', assessment: 'x' } })).body.code).toBe('FORBIDDEN_ROLE');
      expect(await t.types(`problem-${problemId}`)).toEqual(['ProblemRaised']);
    });

    it('answers 404 to an inspector of another partnership, as for an unknown id', async () => {
      const { problemId, actionId, streams } = await problemWithAction();
      const before = await snapshot(...streams);
      const calls: [string, unknown][] = [
        [`/v1/problems/${problemId}/amend`, { title: 'Mine now' }],
        [`/v1/problems/${problemId}/prioritise`, { priority: 'low', rationale: 'x' }],
        [`/v1/problems/${problemId}/close`, { outcome: 'reduced', assessment: 'x', override: true, overrideReason: 'x' }],
        [`/v1/problems/${problemId}/actions`, actionBody('FIRE')],
        [`/v1/actions/${actionId}/cancel`, { reason: 'x' }],
        [`/v1/actions/${actionId}/reassign`, { agency: 'FIRE', reason: 'x' }],
      ];
      for (const [url, body] of calls) {
        const answer = await t.post(url, { token: p.southInspector, body });
        expect([url, answer.status, answer.body.code]).toEqual([url, 404, 'NOT_FOUND']);
      }
      const unknown = await t.post('/v1/problems/00000000-0000-4000-8000-000000000000/amend', { token: p.inspector, body: { title: 'x' } });
      expect(unknown).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', detail: 'problem not found' } });
      expect(await snapshot(...streams)).toEqual(before);
    });

    it('takes the partnership from the body, else the caller\'s only one, else asks for it', async () => {
      const several = await t.post('/v1/groups', { token: p.admin, body: { code: 'tottenham-tasking', name: 'Tottenham tasking', areaCodes: ['tottenham'] } });
      expect(several).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ field: 'partnership' }] } });
      const named = await t.post('/v1/groups', { token: p.admin, body: { code: 'tottenham-tasking', name: 'Tottenham tasking', areaCodes: ['tottenham'], partnership: 'south' } });
      expect(named).toMatchObject({ status: 201, body: { id: 'tottenham-tasking' } });
      expect((await t.events('group-south.tottenham-tasking'))[0]!.data).toMatchObject({ partnership: 'south' });

      const notMine = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ partnership: 'south', location: { areaCode: 'tottenham' } }) });
      expect(notMine).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
      const unknownPartnership = await t.post('/v1/meetings', { token: p.southInspector, body: { groupCode: 'tottenham-tasking', heldOn: '2025-03-10', chair: 'x', partnership: 'nowhere' } });
      expect(unknownPartnership).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
      const south = await t.post('/v1/meetings', { token: p.southInspector, body: { groupCode: 'tottenham-tasking', heldOn: '2025-03-10', chair: 'x' } });
      expect(south.status).toBe(201);
      expect((await t.events(`meeting-${south.body.id}`))[0]!.data).toMatchObject({ partnership: 'south', groupCode: 'tottenham-tasking' });
      // A north problem cannot be tabled at a south meeting, even by someone who could see both.
      const problemId = await raiseProblem(t, p.inspector);
      const crossTabled = await t.post(`/v1/meetings/${south.body.id}/problems`, { token: p.southInspector, body: { problemId } });
      expect(crossTabled).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    });

    it('takes the agency from the token, never from the body', async () => {
      const { actionId } = await problemWithAction();
      const spoofed = await t.post(`/v1/actions/${actionId}/claim`, { token: p.fire, body: { agency: 'COUNCIL-ASB' } });
      expect(spoofed).toMatchObject({ status: 400, body: { errors: [{ field: 'agency', message: 'unknown field agency' }] } });
    });
  });

  describe('validation: 400 VALIDATION_FAILED with the fields at fault', () => {
    it('rejects unknown fields, at the top and nested', async () => {
      const answer = await t.post('/v1/problems', { token: p.inspector, body: { ...problemBody(), colour: 'red', location: { areaCode: 'enfield-town', floor: 2 } } });
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(answer.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(answer.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'colour', message: 'unknown field colour' },
          { field: 'location.floor', message: 'unknown field location.floor' },
        ]),
      );
    });

    it('rejects a value outside an enum, missing fields, wrong types and nulls', async () => {
      const answer = await t.post('/v1/problems', { token: p.inspector, body: { ...problemBody({ category: 'jaywalking', priority: null }), title: undefined, description: 42 } });
      expect(answer.status).toBe(400);
      const fields = answer.body.errors.map((e: { field: string }) => e.field);
      expect(new Set(fields)).toEqual(new Set(['title', 'description', 'category', 'priority']));
      expect(answer.body.errors.find((e: { field: string }) => e.field === 'category').message).toContain('asb-youth');
      const action = await t.post('/v1/actions/00000000-0000-4000-8000-000000000000/decline', { token: p.council, body: { reasonCode: 'bored', note: '' } });
      expect(action).toMatchObject({ status: 400, body: { errors: [{ field: 'reasonCode' }] } });
      const outcome = await t.post('/v1/problems/00000000-0000-4000-8000-000000000000/close', { token: p.inspector, body: { outcome: 'great', assessment: 'x' } });
      expect(outcome).toMatchObject({ status: 400, body: { errors: [{ field: 'outcome' }] } });
    });

    it('caps lengths and list sizes, and ranges numbers and coordinates', async () => {
      const long = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ title: 'x'.repeat(201) }) });
      expect(long).toMatchObject({ status: 400, body: { errors: [{ field: 'title', message: expect.stringContaining('200') }] } });
      const lat = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ location: { areaCode: 'enfield-town', lat: 91, lng: -181 } }) });
      expect(lat.status).toBe(400);
      expect(lat.body.errors.map((e: { field: string }) => e.field)).toEqual(['location.lat', 'location.lng']);
      const problemId = await raiseProblem(t, p.inspector);
      const harm = await t.post(`/v1/problems/${problemId}/prioritise`, { token: p.inspector, body: { priority: 'high', harmScore: 101, rationale: 'x' } });
      expect(harm).toMatchObject({ status: 400, body: { errors: [{ field: 'harmScore' }] } });
      const hypotheses = await t.post(`/v1/problems/${problemId}/analysis`, { token: p.inspector, body: { hypotheses: Array.from({ length: 51 }, (_, i) => `h${i}`) } });
      expect(hypotheses).toMatchObject({ status: 400, body: { errors: [{ field: 'hypotheses' }] } });
      const centroid = await t.put('/v1/areas/ponders-end', { token: p.northAdmin, body: { name: 'Ponders End', centroid: { lat: 51.64, lng: 200 } } });
      expect(centroid).toMatchObject({ status: 400, body: { errors: [{ field: 'centroid.lng' }] } });
      const attendees = await t.post('/v1/meetings/00000000-0000-4000-8000-000000000000/attendance', { token: p.inspector, body: { attendees: [] } });
      expect(attendees).toMatchObject({ status: 400, body: { errors: [{ field: 'attendees' }] } });
      expect(await t.types(`problem-${problemId}`)).toEqual(['ProblemRaised']);
    });

    it('validates ISO 8601 times strictly, with an offset on date-times, and refuses future happenings', async () => {
      const problemId = await raiseProblem(t, p.inspector);
      for (const dueBy of ['tomorrow', '2030-02-30', '2030-06-30T17:00:00', '2030-06-30 17:00:00Z']) {
        const answer = await t.post(`/v1/problems/${problemId}/actions`, { token: p.inspector, body: actionBody('COUNCIL-ASB', { dueBy }) });
        expect([dueBy, answer.status, answer.body.errors?.[0]?.field]).toEqual([dueBy, 400, 'dueBy']);
      }
      const future = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ raisedAt: '2999-01-01T00:00:00Z' }) });
      expect(future).toMatchObject({ status: 400, body: { errors: [{ field: 'raisedAt', message: 'raisedAt must not be in the future' }] } });
    });

    it('validates path parameters: UUIDs and codes', async () => {
      const id = await t.post('/v1/actions/not-a-uuid/claim', { token: p.council });
      expect(id).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ field: 'id', message: 'id must be a UUID' }] } });
      const code = await t.put('/v1/areas/bad%20code!', { token: p.northAdmin, body: { name: 'x', centroid: { lat: 0, lng: 0 } } });
      expect(code).toMatchObject({ status: 400, body: { errors: [{ field: 'code' }] } });
      const agency = await t.post('/v1/agencies/a.b/deactivate', { token: p.admin, body: { reason: 'x' } });
      expect(agency).toMatchObject({ status: 400, body: { errors: [{ field: 'code' }] } });
      const bodyCode = await t.post('/v1/agencies', { token: p.admin, body: { code: 'NO SPACES', name: 'x', kind: 'other' } });
      expect(bodyCode).toMatchObject({ status: 400, body: { errors: [{ field: 'code' }] } });
    });

    it('rejects U+0000, a body that is not an object, and a body on a command that takes none', async () => {
      const nul = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ title: 'bad\u0000title' }) });
      expect(nul).toMatchObject({ status: 400, body: { errors: [{ field: 'title', message: 'contains U+0000' }] } });
      const list = await t.post('/v1/problems', { token: p.inspector, body: [problemBody()] });
      expect(list).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
      const { actionId } = await problemWithAction();
      const claimBody = await t.post(`/v1/actions/${actionId}/claim`, { token: p.council, body: { note: 'hi' } });
      expect(claimBody).toMatchObject({ status: 400, body: { errors: [{ field: 'note', message: 'unknown field note' }] } });
      expect(await t.types(`action-${actionId}`)).toEqual(['ActionAssigned']);
    });
  });

  describe('times callers supply (docs/security.md, "Times and clocks")', () => {
    const day = 86_400_000;
    const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
    const refusedWith = (answer: { status: number; headers: Record<string, unknown>; body: any }, code: string, field: string) => {
      expect({ status: answer.status, type: answer.headers['content-type'], code: answer.body.code, fields: answer.body.errors?.map((e: { field: string }) => e.field) }).toEqual({
        status: 400,
        type: expect.stringMatching(/application\/problem\+json/),
        code,
        fields: [field],
      });
    };

    it('refuses closing a problem at a time before it was raised, or decades ago, and appends nothing (retention cannot be brought forward)', async () => {
      const { problemId, streams } = await problemWithAction();
      const before = await snapshot(...streams);
      const close = (closedAt: string) => t.post(`/v1/problems/${problemId}/close`, { token: p.inspector, body: { outcome: 'reduced', assessment: 'x', override: true, overrideReason: 'y', closedAt } });
      refusedWith(await close('2001-01-01T00:00:00Z'), 'VALIDATION_FAILED', 'closedAt');
      refusedWith(await close(iso(-day)), 'TIME_BEFORE_LAST_EVENT', 'closedAt');
      expect(await snapshot(...streams)).toEqual(before);
    });

    it('refuses a raisedAt in 1901', async () => {
      refusedWith(await t.post('/v1/problems', { token: p.inspector, body: problemBody({ raisedAt: '1901-01-01T00:00:00Z' }) }), 'VALIDATION_FAILED', 'raisedAt');
    });

    it('refuses a dischargedAt before the action\'s last event, and an occurredAt outside 10 years back to 1 day ahead', async () => {
      const { actionId, streams } = await problemWithAction();
      expect((await t.post(`/v1/actions/${actionId}/claim`, { token: p.council })).status).toBe(200);
      const before = await snapshot(...streams);
      refusedWith(await t.post(`/v1/actions/${actionId}/discharge`, { token: p.council, body: { result: 'completed', note: '', dischargedAt: iso(-day) } }), 'TIME_BEFORE_LAST_EVENT', 'dischargedAt');
      const intervention = (occurredAt: string) =>
        t.post(`/v1/actions/${actionId}/interventions`, { token: p.council, body: { tactic: { category: 'prevention', name: 'cctv' }, description: 'x', occurredAt } });
      refusedWith(await intervention(iso(-11 * 365 * day)), 'VALIDATION_FAILED', 'occurredAt');
      refusedWith(await intervention(iso(2 * day)), 'VALIDATION_FAILED', 'occurredAt');
      expect(await snapshot(...streams)).toEqual(before);
      expect((await intervention(iso(-365 * day))).status).toBe(201);
    });

    it('refuses a meeting held more than 10 years ago', async () => {
      refusedWith(await t.post('/v1/meetings', { token: p.inspector, body: { groupCode: 'enfield-safe', heldOn: '2010-03-10', chair: 'Insp Jane Hart' } }), 'VALIDATION_FAILED', 'heldOn');
    });

    it('refuses a dueBy in the past on assign, reassign and a due-date change (DUE_DATE_IN_PAST), unless the chair records an action agreed earlier', async () => {
      const { problemId, actionId, streams } = await problemWithAction();
      const before = await snapshot(...streams);
      refusedWith(await t.post(`/v1/problems/${problemId}/actions`, { token: p.inspector, body: actionBody('FIRE', { dueBy: '2025-01-01T00:00:00Z' }) }), 'DUE_DATE_IN_PAST', 'dueBy');
      refusedWith(await t.post(`/v1/actions/${actionId}/due-date`, { token: p.inspector, body: { dueBy: iso(-60_000), reason: 'x' } }), 'DUE_DATE_IN_PAST', 'dueBy');
      expect(await snapshot(...streams)).toEqual(before);
      const earlier = await t.post(`/v1/problems/${problemId}/actions`, { token: p.inspector, body: actionBody('FIRE', { dueBy: '2025-01-01T00:00:00Z', agreedEarlier: true }) });
      expect(earlier.status).toBe(201);
      // Reassigning it hands the new agency an overdue action unless it gets a new due date.
      const overdue: string = earlier.body.id;
      const reassign = (body: Record<string, unknown>) => t.post(`/v1/actions/${overdue}/reassign`, { token: p.inspector, body: { agency: 'HOUSING', reason: 'Their estate', ...body } });
      refusedWith(await reassign({}), 'DUE_DATE_IN_PAST', 'dueBy');
      refusedWith(await reassign({ dueBy: iso(-day) }), 'DUE_DATE_IN_PAST', 'dueBy');
      expect((await reassign({ dueBy: iso(14 * day) })).status).toBe(200);
      expect(await t.types(`action-${overdue}`)).toEqual(['ActionAssigned', 'ActionReassigned', 'ActionDueDateChanged']);
      const bad = await t.post(`/v1/problems/${problemId}/actions`, { token: p.inspector, body: actionBody('FIRE', { agreedEarlier: 'yes' }) });
      expect(bad).toMatchObject({ status: 400, body: { errors: [{ field: 'agreedEarlier' }] } });
    });
  });
});
