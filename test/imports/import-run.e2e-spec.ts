import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { incidentIdOf, type ResolvableArea } from '@tasking/application';
import { START, type EventStore, type RecordedEvent } from '@tasking/event-store';
import { ImportRun, JOB_MIGRATIONS, type ImportReferences } from '@tasking/jobs';
import { runMigrations } from '@tasking/projections';
import { FixedClock } from '@tasking/shared';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

const FIXTURE = readFileSync(join(__dirname, '../fixtures/police-uk-street.csv'), 'utf8');
const [HEADER, ...ROWS] = FIXTURE.trimEnd().split('\n');
const fileOf = (rows: string[]): string => `${[HEADER, ...rows].join('\n')}\n`;

const AREAS: ResolvableArea[] = [
  { code: 'OX-CENTRAL', lsoaCodes: ['E01028522', 'E01028523'] },
  { code: 'OX-EAST', lsoaCodes: ['e01028530'] },
];
const references: ImportReferences = {
  areasOf: async (partnership) => (partnership === 'north' ? AREAS : []),
  sourceOf: async (partnership, code) => (partnership === 'north' && code === 'police' ? { triage: false, categoryMap: { 'bicycle theft': 'theft' } } : undefined),
};

const allEvents = async (store: EventStore): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for (let batch = await store.readAll(START, 1000); batch.length > 0; batch = await store.readAll(batch[batch.length - 1]!.position, 1000)) events.push(...batch);
  return events;
};

describe('running an import (police-uk-street)', () => {
  let test: TestDatabase;
  let imports: ImportRun;
  const clock = new FixedClock(new Date('2026-11-15T12:00:00.000Z'));

  const importFile = async (body: string, options: { complete?: boolean } = {}) => {
    const importId = randomUUID();
    // Sent in parts, as a request body arrives.
    const parts = body.match(/[\s\S]{1,200}/g)!.map((part) => Buffer.from(part));
    await imports.start({ importId, partnership: 'north', source: 'police', format: 'police-uk-street', complete: options.complete ?? false, sentBy: 'u1' }, parts, 1_000_000);
    const file = await imports.run(importId);
    return { importId, file: file! };
  };

  beforeAll(async () => {
    test = await openTestDatabase();
    await runMigrations(test.db, JOB_MIGRATIONS);
    imports = new ImportRun(test.db, test.store, references, clock, { timeZone: 'Europe/London', batchSize: 3 });
  });
  afterAll(() => test.close());

  it('records the rows in the partnership, counts the one outside it and rejects the one without a location', async () => {
    const { importId, file } = await importFile(FIXTURE);
    expect(file).toMatchObject({
      status: 'completed',
      counts: { rowsRead: 9, recorded: 7, unchanged: 0, updated: 0, withdrawn: 0, rejected: 1, outsidePartnership: 1 },
      byArea: { 'OX-CENTRAL': 4, 'OX-EAST': 3 },
      rejectedRows: [{ row: 7, column: 'Longitude', reason: 'The row has no location: no coordinates and no LSOA code.' }],
    });
    const events = await allEvents(test.store);
    const recorded = events.filter((e) => e.type === 'IncidentRecorded');
    expect(recorded).toHaveLength(7);
    expect(recorded.find((e) => e.data['externalId'] === '3f2b1c9d8e7a6f5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b')).toMatchObject({
      stream: `incident-${incidentIdOf('north', 'police', '3f2b1c9d8e7a6f5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b')}`,
      data: {
        partnership: 'north',
        source: 'police',
        category: 'shoplifting',
        sourceCategory: 'Shoplifting',
        occurredAt: '2026-08-31T23:00:00.000Z',
        occurredPrecision: 'month',
        location: { lat: 51.75194, lng: -1.25487, lsoaCode: 'E01028522', areaCode: 'OX-CENTRAL' },
        unmapped: false,
        outcome: 'Investigation complete; no suspect identified',
        channel: 'import',
        importId,
        triage: false,
      },
      metadata: { actor: { system: 'imports' } },
    });
    // The built-in data.police.uk map, under the source's own.
    expect(recorded.filter((e) => e.data['category'] === 'asb-general')).toHaveLength(3);
    expect(recorded.find((e) => e.data['sourceCategory'] === 'Bicycle theft')?.data['category']).toBe('theft');
    const importStream = events.filter((e) => e.stream === `import-${importId}`);
    expect(importStream.map((e) => e.type)).toEqual(['ImportStarted', 'ImportCompleted']);
    expect(importStream[0]!.data).toMatchObject({ source: 'police', format: 'police-uk-street', partnership: 'north', bytes: Buffer.byteLength(FIXTURE), by: 'u1' });
    expect(importStream[1]!.data['position']).toBe(recorded[recorded.length - 1]!.position);
    expect(file.position).toBe(importStream[1]!.position);
  });

  it('appends nothing but its own start and end when the same file comes again', async () => {
    const before = (await allEvents(test.store)).length;
    const reads = jest.spyOn(test.store, 'readStreams');
    const { importId, file } = await importFile(FIXTURE);
    // The import ledger already holds each row's content hash: no incident's stream is read.
    expect(reads.mock.calls.flatMap(([streams]) => streams).filter((stream) => stream.startsWith('incident-'))).toEqual([]);
    reads.mockRestore();
    expect(file.counts).toMatchObject({ rowsRead: 9, recorded: 0, unchanged: 7, updated: 0, rejected: 1, outsidePartnership: 1 });
    const after = await allEvents(test.store);
    expect(after.slice(before).map((e) => `${e.stream}:${e.type}`)).toEqual([`import-${importId}:ImportStarted`, `import-${importId}:ImportCompleted`]);
  });

  it('updates only the row whose outcome changed, with only the changed field, in an overlapping file', async () => {
    const before = (await allEvents(test.store)).length;
    const changed = ROWS[3]!.replace('Unable to prosecute suspect', 'Offender given a caution');
    const newRow = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00,2026-10,Thames Valley Police,Thames Valley Police,-1.238411,51.745826,On or near Cowley Road,E01028530,Oxford 010C,Robbery,Under investigation,';
    const { file } = await importFile(fileOf([ROWS[2]!, changed, ROWS[4]!, newRow]));
    expect(file.counts).toMatchObject({ rowsRead: 4, recorded: 1, unchanged: 2, updated: 1 });
    const appended = (await allEvents(test.store)).slice(before).filter((e) => e.stream.startsWith('incident-'));
    expect(appended.map((e) => e.type).sort()).toEqual(['IncidentRecorded', 'IncidentUpdated']);
    const updated = appended.find((e) => e.type === 'IncidentUpdated')!;
    expect(updated.stream).toBe(`incident-${incidentIdOf('north', 'police', '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b')}`);
    expect(updated.data).toEqual({ outcome: 'Offender given a caution', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/), sourceUpdatedAt: '2026-11-15T12:00:00.000Z', importId: expect.any(String) });
  });

  it('withdraws the incidents of a complete file’s months that the file no longer holds', async () => {
    const before = (await allEvents(test.store)).length;
    // September without the shoplifting row; October (the robbery above) is not in this file, so it stays.
    const september = ROWS.filter((_, i) => i !== 2);
    const { importId, file } = await importFile(fileOf(september), { complete: true });
    expect(file.counts).toMatchObject({ recorded: 0, withdrawn: 1 });
    const appended = (await allEvents(test.store)).slice(before);
    expect(appended.filter((e) => e.type === 'IncidentWithdrawn').map((e) => [e.stream, e.data])).toEqual([
      [`incident-${incidentIdOf('north', 'police', '3f2b1c9d8e7a6f5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b')}`, { reason: 'absent-from-complete-import', importId }],
    ]);
  });

  it('withdraws everything an import recorded, once', async () => {
    const { importId } = await importFile(fileOf(['beef0000,2026-10,Thames Valley Police,Thames Valley Police,,,No Location,E01028523,Oxford 008B,Drugs,,', 'beef0001,2026-10,Thames Valley Police,Thames Valley Police,,,No Location,E01028523,Oxford 008B,Drugs,,']));
    expect(await imports.withdraw(importId, 'u2')).toBe(2);
    const events = await allEvents(test.store);
    expect(events.filter((e) => e.type === 'IncidentWithdrawn' && e.data['reason'] === 'import-withdrawn')).toHaveLength(2);
    expect(events.filter((e) => e.stream === `import-${importId}`).map((e) => e.type)).toEqual(['ImportStarted', 'ImportCompleted', 'ImportWithdrawn']);
    expect(await imports.withdraw(importId, 'u2')).toBe(0);
  });

  it('refuses an unknown source and keeps nothing', async () => {
    const importId = randomUUID();
    await expect(imports.start({ importId, partnership: 'north', source: 'fire', format: 'police-uk-street', complete: false, sentBy: 'u1' }, [Buffer.from(FIXTURE)], 1_000_000)).rejects.toMatchObject({
      code: 'UNKNOWN_SOURCE',
    });
    expect(await test.store.read(`import-${importId}`)).toEqual([]);
  });
});
