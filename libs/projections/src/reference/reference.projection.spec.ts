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
      { code: 'enfield-town', partnership: 'default', name: 'Enfield Town', centroid_lat: 51.653, centroid_lng: -0.08, boundary, revision: 1, position },
    ]);
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
