import { randomUUID } from 'node:crypto';
import type { DomainEvent, EventData } from '@tasking/domain';
import { appendEvents } from '../../../../test/support/events';
import { problemRaised } from '../../../../test/support/fixtures';
import { openReadSide, type ReadSide } from '../../../../test/support/read-side';

const recorded = (incidentId: string, data: Partial<EventData<'IncidentRecorded'>> = {}): DomainEvent => ({
  type: 'IncidentRecorded',
  data: {
    incidentId,
    partnership: 'default',
    source: 'open311',
    externalId: `c0ffee00-0000-4000-8000-000000000001:${incidentId}`,
    category: 'fly-tipping',
    sourceCategory: 'fly-tipping',
    occurredAt: '2026-03-01T09:00:00Z',
    occurredPrecision: 'exact',
    reportedAt: '2026-03-01T09:05:00Z',
    location: { lat: 51.652345, lng: -0.081549, areaCode: 'enfield-town' },
    unmapped: false,
    description: 'Bags behind the parade',
    reporter: { name: 'Sam Reporter', email: 'sam@example.org' },
    channel: 'open311',
    triage: true,
    contentHash: 'h',
    ...data,
  },
});

describe('open311 projections', () => {
  let side: ReadSide;
  beforeAll(async () => {
    side = await openReadSide({ runner: { batchSize: 3 } });
  });
  afterAll(() => side.close());

  const request = async (incidentId: string) => (await side.readModels.dataSource.query('SELECT * FROM open311_requests WHERE incident_id = $1', [incidentId]))[0];
  const updates = async (incidentId: string) =>
    (await side.readModels.dataSource.query('SELECT status, description FROM open311_request_updates WHERE incident_id = $1 ORDER BY updated_at, update_id', [incidentId])) as {
      status: string;
    }[];

  it('keeps clients with their key hash and revocation, and partnership settings with changed services', async () => {
    const clientId = randomUUID();
    await appendEvents(side.store, `open311client-${clientId}`, [
      { type: 'Open311ClientRegistered', data: { clientId, partnership: 'default', name: 'FixMyStreet', keyPrefix: 'abcd1234', keyHash: 'f'.repeat(64) } },
    ]);
    await appendEvents(side.store, `open311client-${clientId}`, [{ type: 'Open311ClientRevoked', data: {} }]);
    await appendEvents(side.store, 'partnership-default', [{ type: 'PartnershipSettingsChanged', data: { open311Jurisdictions: ['enfield.gov.uk'] } }]);
    const { position } = await appendEvents(side.store, 'partnership-default', [
      { type: 'Open311ServiceChanged', data: { category: 'noise', reportable: false } },
      { type: 'PartnershipSettingsChanged', data: { publicDescriptions: true } },
    ]);
    await side.caughtUp(position);
    expect(await side.rows('open311_clients')).toEqual([
      {
        client_id: clientId,
        partnership: 'default',
        name: 'FixMyStreet',
        external_id_attribute: null,
        key_prefix: 'abcd1234',
        key_hash: 'f'.repeat(64),
        revoked: true,
        revision: 1,
        position: expect.any(String),
      },
    ]);
    expect(await side.rows('partnership_settings')).toEqual([
      {
        partnership: 'default',
        open311_jurisdictions: ['enfield.gov.uk'],
        public_descriptions: true,
        services: { noise: { category: 'noise', reportable: false, name: 'Noise', description: 'Noise' } },
        revision: 2,
        position,
      },
    ]);
  });

  it('keeps only open311 incidents, with rounded coordinates and no reporter', async () => {
    const incidentId = randomUUID();
    const other = randomUUID();
    await appendEvents(side.store, `incident-${other}`, [recorded(other, { channel: 'import', source: 'police', externalId: 'crime-1' })]);
    const { position } = await appendEvents(side.store, `incident-${incidentId}`, [recorded(incidentId)]);
    await side.caughtUp(position);
    expect(await request(other)).toBeUndefined();
    const row = await request(incidentId);
    expect(row).toMatchObject({
      client_id: 'c0ffee00-0000-4000-8000-000000000001',
      lat: 51.652,
      lng: -0.082,
      description: 'Bags behind the parade',
      status: 'open',
      extended_status: 'OPEN',
      triage: 'untriaged',
    });
    expect(row.requested_at.toISOString()).toBe('2026-03-01T09:05:00.000Z');
    expect(JSON.stringify(row)).not.toContain('Sam Reporter');
    expect(await updates(incidentId)).toEqual([]);
  });

  it('follows its problem: in progress with agreed actions, fixed when closed successfully, open again when reopened; duplicates close with it', async () => {
    const problemId = randomUUID();
    const incidentId = randomUUID();
    const duplicate = randomUUID();
    await appendEvents(side.store, `problem-${problemId}`, [problemRaised(problemId)]);
    await appendEvents(side.store, `incident-${incidentId}`, [recorded(incidentId)]);
    await appendEvents(side.store, `incident-${duplicate}`, [recorded(duplicate)]);
    await appendEvents(side.store, `incident-${duplicate}`, [{ type: 'IncidentMarkedDuplicate', data: { of: incidentId } }]);
    await appendEvents(side.store, `incident-${incidentId}`, [{ type: 'IncidentLinked', data: { problemId } }]);
    let { position } = await appendEvents(side.store, `problem-${problemId}`, [{ type: 'ActionAgreed', data: { actionId: randomUUID(), agency: 'COUNCIL-ASB' } }]);
    await side.caughtUp(position);
    expect(await request(incidentId)).toMatchObject({ status: 'open', extended_status: 'IN_PROGRESS', problem_id: problemId });
    expect(await request(duplicate)).toMatchObject({ status: 'open', extended_status: 'DUPLICATE' });

    ({ position } = await appendEvents(side.store, `problem-${problemId}`, [
      { type: 'ProblemClosed', data: { outcome: 'reduced', assessment: 'fewer reports', closedAt: '2026-04-01T09:00:00Z' } },
    ]));
    await side.caughtUp(position);
    expect(await request(incidentId)).toMatchObject({ status: 'closed', extended_status: 'FIXED' });
    expect(await request(duplicate)).toMatchObject({ status: 'closed', extended_status: 'DUPLICATE' });

    ({ position } = await appendEvents(side.store, `problem-${problemId}`, [{ type: 'ProblemReopened', data: { reason: 'it came back' } }]));
    await side.caughtUp(position);
    expect(await request(incidentId)).toMatchObject({ status: 'open', extended_status: 'IN_PROGRESS' });
    expect(await request(duplicate)).toMatchObject({ status: 'open' });
    expect((await updates(incidentId)).map((u) => u.status)).toEqual(['IN_PROGRESS', 'FIXED', 'IN_PROGRESS']);
    expect((await updates(duplicate)).map((u) => u.status)).toEqual(['DUPLICATE']);
  });

  it('a dismissal out of area is not the council’s responsibility; erasure empties the description', async () => {
    const incidentId = randomUUID();
    await appendEvents(side.store, `incident-${incidentId}`, [recorded(incidentId)]);
    await appendEvents(side.store, `incident-${incidentId}`, [{ type: 'IncidentDismissed', data: { reasonCode: 'out-of-area' } }]);
    const { position } = await appendEvents(side.store, `incident-${incidentId}`, [{ type: 'IncidentPersonalDataErased', data: { erasedAt: '2028-03-01T00:00:00Z' } }]);
    await side.caughtUp(position);
    expect(await request(incidentId)).toMatchObject({ status: 'closed', extended_status: 'NOT_COUNCILS_RESPONSIBILITY', description: null });
    expect((await updates(incidentId)).map((u) => u.status)).toEqual(['NOT_COUNCILS_RESPONSIBILITY']);
  });

  it('rebuilds the same tables', async () => {
    const tables = ['open311_clients', 'partnership_settings', 'open311_requests', 'open311_problems', 'open311_request_updates'];
    const before = await Promise.all(tables.map((table) => side.rows(table)));
    await side.runner.rebuild('open311-settings');
    await side.runner.rebuild('open311-requests');
    expect(await Promise.all(tables.map((table) => side.rows(table)))).toEqual(before);
  });
});
