import { appendEvents } from '../../../../test/support/events';
import { agencyRegistered } from '../../../../test/support/fixtures';
import { openReadSide, type ReadSide } from '../../../../test/support/read-side';

describe('reference-data projection', () => {
  let side: ReadSide;
  beforeAll(async () => {
    side = await openReadSide({ runner: { batchSize: 2 } });
  });
  afterAll(() => side.close());

  it('keeps agencies with their webhook URLs (per partnership, and one set before) and deactivation, groups and areas with their updates', async () => {
    await appendEvents(side.store, 'agency-FIRE', [agencyRegistered('FIRE', { name: 'London Fire Brigade', kind: 'fire-rescue' })]);
    await appendEvents(side.store, 'agency-FIRE', [{ type: 'AgencyWebhookSet', data: { url: 'https://lfb.example/hook' } }]);
    await appendEvents(side.store, 'agency-FIRE', [{ type: 'AgencyWebhookSet', data: { url: 'https://lfb.example/north', partnership: 'north' } }]);
    await appendEvents(side.store, 'agency-FIRE', [{ type: 'AgencyWebhookSet', data: { url: 'https://lfb.example/south', partnership: 'south' } }]);
    await appendEvents(side.store, 'agency-FIRE', [{ type: 'AgencyDeactivated', data: { reason: 'merged' } }]);
    await appendEvents(side.store, 'group-enfield-safe', [
      { type: 'TaskingGroupRegistered', data: { code: 'enfield-safe', partnership: 'default', name: 'Enfield SAFE', areaCodes: ['enfield-town', 'edmonton-green'] } },
    ]);
    // The same code in another partnership: its own stream and row.
    await appendEvents(side.store, 'group-north.enfield-safe', [
      { type: 'TaskingGroupRegistered', data: { code: 'enfield-safe', partnership: 'north', name: 'North SAFE', areaCodes: [] } },
    ]);
    const boundary = { type: 'Polygon' as const, coordinates: [[[-0.09, 51.65], [-0.07, 51.65], [-0.07, 51.66], [-0.09, 51.65]]] };
    await appendEvents(side.store, 'area-enfield-town', [
      { type: 'AreaRegistered', data: { code: 'enfield-town', name: 'Enfield Town', partnership: 'default', centroid: { lat: 51.652, lng: -0.081 } } },
    ]);
    const { position } = await appendEvents(side.store, 'area-enfield-town', [{ type: 'AreaUpdated', data: { centroid: { lat: 51.653, lng: -0.08 }, boundary } }]);
    await side.caughtUp(position);

    expect(await side.rows('agencies')).toEqual([
      {
        code: 'FIRE',
        name: 'London Fire Brigade',
        kind: 'fire-rescue',
        active: false,
        webhook_url: 'https://lfb.example/hook',
        webhook_urls: { north: 'https://lfb.example/north', south: 'https://lfb.example/south' },
        deactivation_reason: 'merged',
        revision: 4,
        position: expect.any(String),
      },
    ]);
    expect(await side.rows('tasking_groups')).toEqual(
      expect.arrayContaining([
        { id: 'enfield-safe', code: 'enfield-safe', partnership: 'default', name: 'Enfield SAFE', area_codes: ['enfield-town', 'edmonton-green'], revision: 0, position: expect.any(String) },
        { id: 'north.enfield-safe', code: 'enfield-safe', partnership: 'north', name: 'North SAFE', area_codes: [], revision: 0, position: expect.any(String) },
      ]),
    );
    expect(await side.rows('tasking_groups')).toHaveLength(2);
    expect(await side.rows('areas')).toEqual([
      {
        code: 'enfield-town',
        partnership: 'default',
        name: 'Enfield Town',
        centroid_lat: 51.653,
        centroid_lng: -0.08,
        boundary,
        lsoa_codes: [],
        neighbours: [],
        external_code: null,
        revision: 1,
        position,
      },
    ]);
  });

  it("keeps an area's LSOA codes, neighbours and external code, each replaced by the next", async () => {
    const islands = { type: 'MultiPolygon' as const, coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[2, 2], [3, 2], [3, 3], [2, 2]]]] };
    await appendEvents(side.store, 'area-ponders-end', [
      {
        type: 'AreaRegistered',
        data: { code: 'ponders-end', name: 'Ponders End', partnership: 'north', centroid: { lat: 51.64, lng: -0.05 }, boundary: islands, lsoaCodes: ['E01001499'], neighbours: ['edmonton'], externalCode: 'E05000202' },
      },
    ]);
    const { position } = await appendEvents(side.store, 'area-ponders-end', [{ type: 'AreaUpdated', data: { lsoaCodes: ['E01001499', 'E01033333'], neighbours: [] } }]);
    await side.caughtUp(position);
    expect((await side.rows('areas')).find((row) => row.code === 'ponders-end')).toMatchObject({
      boundary: islands,
      lsoa_codes: ['E01001499', 'E01033333'],
      neighbours: [],
      external_code: 'E05000202',
      revision: 1,
    });
  });

  it('keeps sources per partnership, with their updates', async () => {
    await appendEvents(side.store, 'source-north.police', [
      { type: 'SourceRegistered', data: { code: 'police', partnership: 'north', name: 'Street crime', kind: 'police', triage: false, categoryMap: { Drugs: 'drugs' } } },
    ]);
    await appendEvents(side.store, 'source-south-east.police', [
      { type: 'SourceRegistered', data: { code: 'police', partnership: 'south-east', name: 'SE crime', kind: 'police', triage: false, categoryMap: {} } },
    ]);
    const { position } = await appendEvents(side.store, 'source-north.police', [{ type: 'SourceUpdated', data: { triage: true, categoryMap: { Robbery: 'robbery' } } }]);
    await side.caughtUp(position);
    const rows = await side.rows('sources');
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        { id: 'north.police', code: 'police', partnership: 'north', name: 'Street crime', kind: 'police', triage: true, category_map: { Robbery: 'robbery' }, revision: 1, position },
        { id: 'south-east.police', code: 'police', partnership: 'south-east', name: 'SE crime', kind: 'police', triage: false, category_map: {}, revision: 0, position: expect.any(String) },
      ]),
    );
  });

  it("keeps a group's schedule and members beside it, each replaced by the next", async () => {
    await appendEvents(side.store, 'group-south.tottenham', [
      { type: 'TaskingGroupRegistered', data: { code: 'tottenham', partnership: 'south', name: 'Tottenham', areaCodes: [] } },
      { type: 'GroupMembersSet', data: { members: [{ name: 'Sam Patel', agency: 'COUNCIL-ASB' }] } },
      { type: 'GroupScheduleSet', data: { everyDays: 14, from: '2025-03-05' } },
    ]);
    const { position } = await appendEvents(side.store, 'group-south.tottenham', [
      { type: 'GroupScheduleSet', data: { everyDays: 28, from: '2025-04-02', time: '10:00' } },
      { type: 'GroupMembersSet', data: { members: [{ name: 'Insp Jane Hart', agency: 'POLICE', role: 'chair' }] } },
    ]);
    await side.caughtUp(position);
    expect(await side.rows('tasking_group_schedules')).toEqual([
      {
        id: 'south.tottenham',
        schedule: { everyDays: 28, from: '2025-04-02', time: '10:00' },
        members: [{ name: 'Insp Jane Hart', agency: 'POLICE', role: 'chair' }],
        revision: 4,
        position,
      },
    ]);
  });
});
