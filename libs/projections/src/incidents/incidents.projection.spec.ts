import { randomUUID } from 'node:crypto';
import { appendEvents } from '../../../../test/support/events';
import { recordIncident } from '../../../../test/support/incidents';
import { openReadSide, type ReadSide } from '../../../../test/support/read-side';
import { incidentsProjection } from './incidents.projection';

describe.each([
  ['postgres', false],
  ['embedded', true],
])('incidents projection (%s)', (_, embedded) => {
  let side: ReadSide;
  beforeAll(async () => {
    // Small batches: counts are moved from points loaded back batch after batch.
    side = await openReadSide({ embedded, runner: { batchSize: 3, rebuildBatchSize: 4 } });
  }, 60_000);
  afterAll(() => side.close());

  const rowsOf = async (table: string, partnership: string) => (await side.rows(table)).filter((row) => row.partnership === partnership);
  const counts = async (table: 'incident_counts_weekly' | 'incident_counts_monthly', partnership: string) =>
    (await rowsOf(table, partnership)).map((row) => `${row.area_code} ${row.category} ${row.source} ${row.week ?? row.month}: ${row.count}`).sort();
  const append = (incidentId: string, events: Parameters<typeof appendEvents>[2]) => appendEvents(side.store, `incident-${incidentId}`, events);

  it('derives each status from the events, keeps the triage flag, and holds no personal field', async () => {
    const partnership = `p-${randomUUID()}`;
    const problemId = randomUUID();
    const triaged = await recordIncident(side.store, { partnership, source: 'open311', channel: 'open311', triage: true, unmapped: true, location: { lat: 51.65, lng: -0.08, address: '12 Church Street' }, description: 'Men dealing by the bins', reporter: { name: 'Ann Other' } });
    const evidence = await recordIncident(side.store, { partnership, importId: 'import-1' });
    const dup = await recordIncident(side.store, { partnership, source: 'open311', channel: 'open311', triage: true });
    const dismissed = await recordIncident(side.store, { partnership, source: 'open311', channel: 'open311', triage: true });
    const withdrawn = await recordIncident(side.store, { partnership });
    await append(triaged.incidentId, [{ type: 'IncidentLinked', data: { problemId } }]);
    await append(evidence.incidentId, [{ type: 'IncidentLinked', data: { problemId } }]);
    await append(evidence.incidentId, [{ type: 'IncidentUnlinked', data: { problemId, reason: 'wrong problem' } }]);
    await append(dup.incidentId, [{ type: 'IncidentMarkedDuplicate', data: { of: triaged.incidentId } }]);
    await append(dismissed.incidentId, [{ type: 'IncidentDismissed', data: { reasonCode: 'test', note: 'a test report' } }]);
    const last = await append(withdrawn.incidentId, [{ type: 'IncidentWithdrawn', data: { reason: 'import-withdrawn', importId: 'import-1' } }]);
    await side.caughtUp(last.position);

    const points = new Map((await rowsOf('incident_points', partnership)).map((row) => [row.id, row]));
    expect(points.get(triaged.incidentId)).toEqual({
      id: triaged.incidentId,
      partnership,
      source: 'open311',
      channel: 'open311',
      category: 'drugs',
      source_category: 'Drugs',
      status: 'linked',
      triage: true,
      unmapped: true,
      area_code: null,
      occurred_at: '2025-03-04T21:15:00+00:00',
      precision: 'exact',
      occurred_on: '2025-03-04',
      week: '2025-03-03',
      month: '2025-03-01',
      lat: 51.65,
      lng: -0.08,
      problem_id: problemId,
      duplicate_of: null,
      import_id: null,
      recorded_at: expect.any(String),
      revision: 1,
      position: expect.any(String),
    });
    expect(points.get(evidence.incidentId)).toMatchObject({ status: 'recorded', problem_id: null, import_id: 'import-1', area_code: 'enfield-town' });
    expect(points.get(dup.incidentId)).toMatchObject({ status: 'duplicate', duplicate_of: triaged.incidentId });
    expect(points.get(dismissed.incidentId)).toMatchObject({ status: 'dismissed' });
    expect(points.get(withdrawn.incidentId)).toMatchObject({ status: 'withdrawn' });
    const stored = JSON.stringify(await side.rows('incident_points'));
    for (const personal of ['Church Street', 'Men dealing', 'Ann Other', 'wrong problem', 'a test report']) expect(stored).not.toContain(personal);
  });

  it('counts by ISO week and month in the zone, month precision by month only, not withdrawn or duplicates, and moves counts on updates', async () => {
    const partnership = `p-${randomUUID()}`;
    // Sunday 23:30 UTC in summer is Monday in London: week of 2025-06-16.
    const late = await recordIncident(side.store, { partnership, occurredAt: '2025-06-15T23:30:00Z' });
    const day = await recordIncident(side.store, { partnership, occurredAt: '2025-06-17', occurredPrecision: 'day' });
    await recordIncident(side.store, { partnership, occurredAt: '2025-05', occurredPrecision: 'month', source: 'police-street' });
    const moved = await recordIncident(side.store, { partnership, occurredAt: '2025-06-10T12:00:00Z' });
    const gone = await recordIncident(side.store, { partnership, occurredAt: '2025-06-11T12:00:00Z' });
    const dup = await recordIncident(side.store, { partnership, occurredAt: '2025-06-11T12:00:00Z', source: 'open311', channel: 'open311', triage: true });
    const unmapped = await recordIncident(side.store, { partnership, source: 'open311', channel: 'open311', triage: true, unmapped: true, location: {} });
    await side.caughtUp(unmapped.result.position);
    expect(await counts('incident_counts_weekly', partnership)).toEqual([
      'enfield-town drugs open311 2025-06-09: 1',
      'enfield-town drugs police 2025-06-09: 2',
      'enfield-town drugs police 2025-06-16: 2',
    ]);
    expect(await counts('incident_counts_monthly', partnership)).toEqual([
      'enfield-town drugs open311 2025-06-01: 1',
      'enfield-town drugs police 2025-06-01: 4',
      'enfield-town drugs police-street 2025-05-01: 1',
    ]);

    await append(moved.incidentId, [
      { type: 'IncidentUpdated', data: { category: 'theft', location: { lat: 51.62, lng: -0.06, areaCode: 'edmonton' }, contentHash: 'h2', sourceUpdatedAt: '2025-07-01T00:00:00Z' } },
    ]);
    await append(day.incidentId, [{ type: 'IncidentUpdated', data: { occurredAt: '2025-07-01', contentHash: 'h2', sourceUpdatedAt: '2025-07-02T00:00:00Z' } }]);
    await append(gone.incidentId, [{ type: 'IncidentWithdrawn', data: { reason: 'absent-from-complete-import', importId: 'i-2' } }]);
    await append(dup.incidentId, [{ type: 'IncidentMarkedDuplicate', data: { of: gone.incidentId } }]);
    const last = await append(late.incidentId, [{ type: 'IncidentLinked', data: { problemId: randomUUID() } }]);
    await side.caughtUp(last.position);
    expect(await counts('incident_counts_weekly', partnership)).toEqual([
      'edmonton theft police 2025-06-09: 1',
      'enfield-town drugs police 2025-06-16: 1',
      'enfield-town drugs police 2025-06-30: 1',
    ]);
    expect(await counts('incident_counts_monthly', partnership)).toEqual([
      'edmonton theft police 2025-06-01: 1',
      'enfield-town drugs police 2025-06-01: 1',
      'enfield-town drugs police 2025-07-01: 1',
      'enfield-town drugs police-street 2025-05-01: 1',
    ]);
  });

  it("keeps each source's latest occurrence and whether it reports live", async () => {
    const partnership = `p-${randomUUID()}`;
    await recordIncident(side.store, { partnership, occurredAt: '2025-04-30T10:00:00Z' });
    await recordIncident(side.store, { partnership, occurredAt: '2025-02-01T10:00:00Z' });
    const { result } = await recordIncident(side.store, { partnership, source: 'open311', channel: 'open311', triage: true, occurredAt: '2025-01-01T10:00:00Z' });
    await side.caughtUp(result.position);
    expect((await rowsOf('incident_source_coverage', partnership)).sort((a, b) => String(a.source).localeCompare(String(b.source)))).toEqual([
      { partnership, source: 'open311', latest_occurred_at: '2025-01-01T10:00:00+00:00', live: true, complete_until: null },
      { partnership, source: 'police', latest_occurred_at: '2025-04-30T10:00:00+00:00', live: false, complete_until: null },
    ]);
  });

  it('gives the same tables when rebuilt', async () => {
    const partnership = `p-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      const { incidentId } = await recordIncident(side.store, { partnership, occurredAt: `2025-0${1 + (i % 6)}-1${i}T08:00:00Z`, category: i % 2 ? 'drugs' : 'theft' });
      ids.push(incidentId);
    }
    await append(ids[0]!, [{ type: 'IncidentUpdated', data: { category: 'burglary', contentHash: 'h2', sourceUpdatedAt: '2025-07-01T00:00:00Z' } }]);
    await append(ids[1]!, [{ type: 'IncidentWithdrawn', data: { reason: 'import-withdrawn', importId: 'i' } }]);
    await append(ids[2]!, [{ type: 'IncidentUpdated', data: { occurredAt: '2025-06-30T23:30:00Z', contentHash: 'h3', sourceUpdatedAt: '2025-07-01T00:00:00Z' } }]);
    const last = await append(ids[3]!, [{ type: 'IncidentMarkedDuplicate', data: { of: ids[4]! } }]);
    await side.caughtUp(last.position);
    const snapshot = async () => Object.fromEntries(await Promise.all(incidentsProjection.tables.map(async (table) => [table, await side.rows(table)] as const)));
    const incremental = await snapshot();
    expect(incremental['incident_counts_weekly']!.length).toBeGreaterThan(0);
    await side.runner.rebuild('incidents');
    expect(await snapshot()).toEqual(incremental);
  });
});
