import { WebhookSecrets } from '@tasking/personal-data';
import { StoryClock } from '../support/story-clock';
import { NORTH, startCommandApp, type CommandApp } from './support/command-app';
import { DUE_BY, PAST, people, problemBody, registerReferenceData, type People } from './support/fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('commands over HTTP: the whole lifecycle of a problem', () => {
  let t: CommandApp;
  let p: People;
  // The story is recorded at its own dates, so each time it states follows the events before it.
  const clock = new StoryClock();

  beforeAll(async () => {
    t = await startCommandApp({}, { clock });
    p = await people(t);
    await registerReferenceData(t, p);
  });

  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => clock.hold(undefined));

  it('raises, amends, prioritises, tables, assigns, declines, reassigns, claims, records, discharges, closes and reopens', async () => {
    // Raise
    clock.hold('2025-03-01T10:00:00Z');
    const raised = await t.post('/v1/problems', { token: p.inspector, body: problemBody({ priority: 'medium', groupCode: 'enfield-safe', raisedAt: PAST }) });
    expect(raised.status).toBe(201);
    expect(raised.body).toEqual({ id: expect.stringMatching(UUID), revision: 0, position: expect.any(String) });
    const problemId: string = raised.body.id;
    const problemStream = `problem-${problemId}`;

    const amended = await t.post(`/v1/problems/${problemId}/amend`, { token: p.inspector, body: { title: 'Youth disorder, Church Street', location: { areaCode: 'edmonton' } } });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({ id: problemId, revision: 1 });
    expect(amended.body.position > raised.body.position).toBe(true);

    const prioritised = await t.post(`/v1/problems/${problemId}/prioritise`, { token: p.inspector, body: { priority: 'high', harmScore: 70, rationale: 'Repeat victims' } });
    expect(prioritised).toMatchObject({ status: 200, body: { id: problemId, revision: 2 } });

    const analysed = await t.post(`/v1/problems/${problemId}/analysis`, {
      token: p.inspector,
      body: { victim: 'Shopkeepers', location: 'Poor lighting behind the bus stop', hypotheses: ['Gathering follows the youth club closing'] },
    });
    expect(analysed).toMatchObject({ status: 200, body: { id: problemId, revision: 3 } });

    // Meeting: schedule, attendance, table the problem
    const scheduled = await t.post('/v1/meetings', { token: p.inspector, body: { groupCode: 'enfield-safe', heldOn: '2025-03-10', chair: 'Insp Jane Hart' } });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body).toMatchObject({ id: expect.stringMatching(UUID), revision: 0 });
    const meetingId: string = scheduled.body.id;

    const attendance = await t.post(`/v1/meetings/${meetingId}/attendance`, {
      token: p.inspector,
      body: { attendees: [{ name: 'Insp Jane Hart', agency: 'POLICE' }, { name: 'Sam Patel', agency: 'council-asb' }] },
    });
    expect(attendance).toMatchObject({ status: 200, body: { id: meetingId, revision: 1 } });

    const tabled = await t.post(`/v1/meetings/${meetingId}/problems`, { token: p.inspector, body: { problemId } });
    expect(tabled).toMatchObject({ status: 200, body: { id: problemId, revision: 4 } });
    // Tabling twice at the same meeting changes nothing and answers the same revision.
    const tabledAgain = await t.post(`/v1/meetings/${meetingId}/problems`, { token: p.inspector, body: { problemId } });
    expect(tabledAgain).toMatchObject({ status: 200, body: { id: problemId, revision: 4 } });

    // Assign to two agencies at the meeting: the answers name the new actions
    const toCouncil = await t.post(`/v1/problems/${problemId}/actions`, {
      token: p.inspector,
      body: { agency: 'COUNCIL-ASB', description: 'Install CCTV covering the parade', tactic: { category: 'prevention', name: 'cctv' }, dueBy: DUE_BY, meetingId },
    });
    expect(toCouncil.status).toBe(201);
    expect(toCouncil.body).toMatchObject({ id: expect.stringMatching(UUID), revision: 0 });
    const councilAction: string = toCouncil.body.id;
    const toFire = await t.post(`/v1/problems/${problemId}/actions`, {
      token: p.inspector,
      body: { agency: 'FIRE', description: 'Youth engagement session', tactic: { category: 'diversion', name: 'Sports Session' }, dueBy: DUE_BY, meetingId },
    });
    expect(toFire).toMatchObject({ status: 201, body: { revision: 0 } });
    const fireAction: string = toFire.body.id;
    expect(fireAction).not.toBe(councilAction);

    // Fire declines; the inspector reassigns to Housing
    const declined = await t.post(`/v1/actions/${fireAction}/decline`, { token: p.fire, body: { reasonCode: 'not-our-remit', note: 'Housing estate matter' } });
    expect(declined).toMatchObject({ status: 200, body: { id: fireAction, revision: 1 } });
    const reassigned = await t.post(`/v1/actions/${fireAction}/reassign`, { token: p.inspector, body: { agency: 'HOUSING', reason: 'Declined by fire' } });
    expect(reassigned).toMatchObject({ status: 200, body: { id: fireAction, revision: 2 } });

    // Council: claim, two interventions, discharge
    clock.hold('2025-03-13T12:00:00Z');
    expect(await t.post(`/v1/actions/${councilAction}/claim`, { token: p.council })).toMatchObject({ status: 200, body: { id: councilAction, revision: 1 } });
    const intervention = await t.post(`/v1/actions/${councilAction}/interventions`, {
      token: p.council2, // any officer of the agency: teams cover for each other
      body: { tactic: { category: 'prevention', name: 'CCTV' }, description: 'Two cameras installed', occurredAt: '2025-03-12T10:00:00Z' },
    });
    expect(intervention.status).toBe(201);
    expect(intervention.body).toMatchObject({ id: councilAction, revision: 2, interventionId: expect.stringMatching(UUID) });
    const second = await t.post(`/v1/actions/${councilAction}/interventions`, {
      token: p.council,
      body: { tactic: { category: 'engagement', name: 'leaflet drop' }, description: 'Leaflets to residents', occurredAt: '2025-03-13T10:00:00Z' },
    });
    expect(second).toMatchObject({ status: 201, body: { revision: 3 } });
    expect(second.body.interventionId).not.toBe(intervention.body.interventionId);
    const redated = await t.post(`/v1/actions/${councilAction}/due-date`, { token: p.inspector, body: { dueBy: '2030-07-31', reason: 'Supplier delay' } });
    expect(redated).toMatchObject({ status: 200, body: { revision: 4 } });
    clock.hold('2025-03-20T16:00:00Z');
    const discharged = await t.post(`/v1/actions/${councilAction}/discharge`, {
      token: p.council,
      body: { result: 'completed', note: 'Cameras live', dischargedAt: '2025-03-20T16:00:00Z' },
    });
    expect(discharged).toMatchObject({ status: 200, body: { id: councilAction, revision: 5 } });

    // Housing: claim, release, claim again, discharge
    expect((await t.post(`/v1/actions/${fireAction}/claim`, { token: p.housing })).status).toBe(200);
    expect((await t.post(`/v1/actions/${fireAction}/release`, { token: p.housing, body: { reason: 'On leave' } })).status).toBe(200);
    expect((await t.post(`/v1/actions/${fireAction}/claim`, { token: p.housing, body: {} })).status).toBe(200);
    expect((await t.post(`/v1/actions/${fireAction}/discharge`, { token: p.housing, body: { result: 'partially-completed', note: '' } })).status).toBe(200);

    // Review at the meeting, close with outcome, close the meeting, reopen
    clock.hold('2025-03-25T12:00:00Z');
    const reviewed = await t.post(`/v1/problems/${problemId}/reviews`, { token: p.inspector, body: { rag: 'green', note: 'Calls down', meetingId } });
    expect(reviewed).toMatchObject({ status: 201, body: { id: problemId, revision: 7 } });
    const closed = await t.post(`/v1/problems/${problemId}/close`, {
      token: p.manager,
      body: { outcome: 'reduced', assessment: 'Calls down by half', displacement: 'spatial', diffusionOfBenefits: false, closedAt: '2025-03-25T12:00:00Z' },
    });
    expect(closed).toMatchObject({ status: 200, body: { id: problemId, revision: 8 } });
    expect((await t.post(`/v1/meetings/${meetingId}/close`, { token: p.inspector, body: { minutesNote: 'Actions agreed' } })).status).toBe(200);
    const reopened = await t.post(`/v1/problems/${problemId}/reopen`, { token: p.inspector, body: { reason: 'Disorder returned' } });
    expect(reopened).toMatchObject({ status: 200, body: { id: problemId, revision: 9 } });

    expect(await t.types(problemStream)).toEqual([
      'ProblemRaised',
      'ProblemAmended',
      'ProblemPrioritised',
      'ProblemAnalysed',
      'ProblemTabled',
      'ActionAgreed',
      'ActionAgreed',
      'ProblemReviewed',
      'ProblemClosed',
      'ProblemReopened',
    ]);
    expect(await t.types(`action-${councilAction}`)).toEqual([
      'ActionAssigned',
      'ActionClaimed',
      'InterventionRecorded',
      'InterventionRecorded',
      'ActionDueDateChanged',
      'ActionDischarged',
    ]);
    expect(await t.types(`action-${fireAction}`)).toEqual([
      'ActionAssigned',
      'ActionDeclined',
      'ActionReassigned',
      'ActionClaimed',
      'ActionReleased',
      'ActionClaimed',
      'ActionDischarged',
    ]);
    expect(await t.types(`meeting-${meetingId}`)).toEqual(['MeetingScheduled', 'MeetingAttendanceRecorded', 'MeetingClosed']);

    // What the events hold
    const problemEvents = await t.events(problemStream);
    expect(problemEvents[0]!.data).toMatchObject({ problemId, partnership: 'north', groupCode: 'enfield-safe', raisedAt: PAST, source: 'tasking-meeting' });
    expect(problemEvents[5]!.data).toEqual({ actionId: councilAction, agency: 'COUNCIL-ASB', meetingId });
    // The agreement and the assignment went in one append: same transaction, adjacent positions.
    const [assigned] = await t.events(`action-${councilAction}`);
    expect(assigned!.data).toMatchObject({ problemId, partnership: 'north', agency: 'COUNCIL-ASB', tactic: { category: 'prevention', name: 'CCTV' }, meetingId });
    expect(assigned!.position.split('-')[0]).toBe(problemEvents[5]!.position.split('-')[0]);
    expect(assigned!.metadata['causationId']).toBe(problemEvents[5]!.metadata['causationId']);
    const attendees = (await t.events(`meeting-${meetingId}`))[1]!.data['attendees'];
    expect(attendees).toEqual([{ name: 'Insp Jane Hart', agency: 'POLICE' }, { name: 'Sam Patel', agency: 'COUNCIL-ASB' }]);
    expect((await t.events(`action-${fireAction}`))[2]!.data).toEqual({ fromAgency: 'FIRE', toAgency: 'HOUSING', reason: 'Declined by fire' });
    expect(problemEvents[8]!.data).toEqual({ outcome: 'reduced', assessment: 'Calls down by half', displacement: 'spatial', diffusionOfBenefits: false, closedAt: '2025-03-25T12:00:00Z' });
  });

  it('records who, when, why and under which request in every event', async () => {
    const raised = await t.post('/v1/problems', { token: p.inspector, body: problemBody(), headers: { 'x-correlation-id': 'corr-123' } });
    expect(raised.status).toBe(201);
    const [event] = await t.events(`problem-${raised.body.id}`);
    expect(event!.metadata).toMatchObject({
      recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      actor: { userId: 'u-insp', name: 'Insp Jane Hart', agency: 'POLICE', role: 'inspector' },
      correlationId: 'corr-123',
      causationId: expect.stringMatching(UUID),
      schemaVersion: 1,
    });
    expect(Date.parse(event!.metadata['recordedAt'] as string)).toBeGreaterThan(Date.now() - 60_000);
    // The raisedAt of a problem raised without one is the time of the command.
    expect(event!.data['raisedAt']).toBe(event!.metadata['recordedAt']);
  });

  it('keeps the webhook secret out of the log and out of every answer, encrypted at rest', async () => {
    const secret = 'whsec_' + 'k'.repeat(40);
    const registered = await t.post('/v1/agencies', {
      token: p.admin,
      body: { code: 'probation', name: 'Probation Service', kind: 'probation', webhookUrl: 'https://hooks.example.org/tasking', webhookSecret: secret, partnership: NORTH },
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({ id: 'PROBATION', revision: 1, position: expect.any(String) });

    const rotated = 'whsec_' + 'r'.repeat(40);
    const set = await t.put('/v1/agencies/PROBATION/webhook', { token: p.admin, body: { webhookUrl: 'https://hooks.example.org/v2', webhookSecret: rotated, partnership: NORTH } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ id: 'PROBATION', revision: 2, position: expect.any(String) });
    expect(JSON.stringify(registered.body) + JSON.stringify(set.body)).not.toContain('whsec_');

    const events = await t.events('agency-PROBATION');
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['AgencyRegistered', { code: 'PROBATION', name: 'Probation Service', kind: 'probation' }],
      ['AgencyWebhookSet', { url: 'https://hooks.example.org/tasking', partnership: NORTH }],
      ['AgencyWebhookSet', { url: 'https://hooks.example.org/v2', partnership: NORTH }],
    ]);
    expect(JSON.stringify(events)).not.toContain('whsec_');

    const { rows } = await t.runtime.db.pool.query(`SELECT agency_code, ciphertext, iv, tag FROM "${t.schema}".agency_webhook_secrets WHERE agency_code = 'PROBATION'`);
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0].ciphertext).toString('utf8')).not.toContain('whsec_');
    expect(rows[0].iv).toHaveLength(12);
    expect(rows[0].tag).toHaveLength(16);
    await expect(t.app.get(WebhookSecrets).reveal('PROBATION', NORTH)).resolves.toBe(rotated);

    // A URL with credentials, a secret without a URL, a short secret: 400 and nothing stored.
    const bad = await t.put('/v1/agencies/PROBATION/webhook', { token: p.admin, body: { webhookUrl: 'https://user:pw@hooks.example.org/', webhookSecret: rotated, partnership: NORTH } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'webhookUrl', message: expect.stringContaining('without credentials') }]);
    const half = await t.post('/v1/agencies', { token: p.admin, body: { code: 'YOUTH', name: 'Youth Service', kind: 'youth', webhookSecret: secret } });
    expect(half.status).toBe(400);
    expect(half.body.errors).toEqual([{ field: 'webhookUrl', message: expect.any(String) }]);
    const short = await t.put('/v1/agencies/PROBATION/webhook', { token: p.admin, body: { webhookUrl: 'https://hooks.example.org/v3', webhookSecret: 'short', partnership: NORTH } });
    expect(short.status).toBe(400);
    expect(await t.events('agency-PROBATION')).toHaveLength(3);
    expect(await t.events('agency-YOUTH')).toHaveLength(0);
    // An unknown agency: 404, and no secret stored for it.
    const unknown = await t.put('/v1/agencies/NOBODY/webhook', { token: p.admin, body: { webhookUrl: 'https://hooks.example.org/x', webhookSecret: secret, partnership: NORTH } });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    await expect(t.app.get(WebhookSecrets).reveal('NOBODY', NORTH)).resolves.toBeUndefined();
  });

  it('deactivates an agency, after which actions cannot be assigned to it', async () => {
    const problemId = (await t.post('/v1/problems', { token: p.inspector, body: problemBody() })).body.id;
    const deactivated = await t.post('/v1/agencies/housing/deactivate', { token: p.admin, body: { reason: 'Merged into the council' } });
    expect(deactivated).toMatchObject({ status: 200, body: { id: 'HOUSING', revision: 1 } });
    const assign = await t.post(`/v1/problems/${problemId}/actions`, {
      token: p.inspector,
      body: { agency: 'HOUSING', description: 'x', tactic: { category: 'prevention', name: 'cctv' }, dueBy: DUE_BY },
    });
    expect(assign).toMatchObject({ status: 422, body: { code: 'AGENCY_INACTIVE' } });
    // Deactivating again changes nothing.
    const again = await t.post('/v1/agencies/HOUSING/deactivate', { token: p.admin, body: { reason: 'again' } });
    expect(again).toMatchObject({ status: 200, body: { id: 'HOUSING', revision: 1 } });
  });

  it('updates an area with a repeated PUT, which keeps its partnership', async () => {
    const boundary = { type: 'Polygon', coordinates: [[[-0.09, 51.64], [-0.07, 51.64], [-0.07, 51.66], [-0.09, 51.64]]] };
    const updated = await t.put('/v1/areas/enfield-town', { token: p.admin, body: { name: 'Enfield Town Centre', centroid: { lat: 51.652, lng: -0.081 }, boundary } });
    expect(updated).toMatchObject({ status: 200, body: { id: 'enfield-town', revision: 1 } });
    const [, event] = await t.events('area-enfield-town');
    expect(event).toMatchObject({ type: 'AreaUpdated', data: { name: 'Enfield Town Centre', boundary } });
    const moved = await t.put('/v1/areas/enfield-town', { token: p.admin, body: { name: 'Enfield Town Centre', partnership: 'south', centroid: { lat: 51.652, lng: -0.081 } } });
    expect(moved).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', errors: [{ field: 'partnership' }] } });
  });
});
