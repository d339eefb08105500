import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readCsvRows } from './csv-rows';
import { mappedCsvRows, parseCsvMapping, policeUkStreetRows, type ImportedRow, type MappedItem, type RowClock, type RowMapper } from './import-rows';

const clock: RowClock = { now: '2026-11-15T12:00:00.000Z', timeZone: 'Europe/London' };

const mapAll = async (input: Readable, mapper: RowMapper): Promise<MappedItem[]> => {
  const items: MappedItem[] = [];
  for await (const item of readCsvRows(input, { columns: mapper.columns })) items.push('rejection' in item ? item : mapper.map(item));
  return items;
};

const fixture = (): Readable => createReadStream(join(__dirname, '../../../../test/fixtures/police-uk-street.csv'));

const HEADER = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n';
const policeFile = (...rows: string[]): Readable => Readable.from([HEADER + rows.join('\n') + '\n']);

describe('police-uk-street rows', () => {
  it('maps a data.police.uk street file: crimes by Crime ID, the month, the point and LSOA, the outcome', async () => {
    const items = await mapAll(fixture(), policeUkStreetRows(clock));
    expect(items).toHaveLength(9);
    expect(items[2]).toEqual({
      row: 4,
      externalId: '3f2b1c9d8e7a6f5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b',
      sourceCategory: 'Shoplifting',
      occurredAt: '2026-08-31T23:00:00.000Z',
      occurredPrecision: 'month',
      month: '2026-09',
      location: { lat: 51.75194, lng: -1.25487, lsoaCode: 'E01028522' },
      outcome: 'Investigation complete; no suspect identified',
    });
  });

  it('rejects the row without a location, naming the column and not echoing the row', async () => {
    const items = await mapAll(fixture(), policeUkStreetRows(clock));
    expect(items[5]).toEqual({ row: 7, rejection: { row: 7, column: 'Longitude', reason: 'The row has no location: no coordinates and no LSOA code.' } });
  });

  it('gives ASB rows without a Crime ID an id from their key and their occurrence among identical rows, the same on every read', async () => {
    const first = (await mapAll(fixture(), policeUkStreetRows(clock))) as ImportedRow[];
    const again = (await mapAll(fixture(), policeUkStreetRows(clock))) as ImportedRow[];
    const asb = [first[0], first[1], first[8]].map((row) => row.externalId);
    expect(asb.every((id) => /^[0-9a-f]{64}$/.test(id))).toBe(true);
    expect(new Set(asb).size).toBe(3);
    expect([again[0], again[1], again[8]].map((row) => row.externalId)).toEqual(asb);
  });

  it('keeps an ASB id when the LSOA is re-coded, and changes it when the key changes', async () => {
    const row = (lsoa: string, type: string): string => `,2026-09,Thames Valley Police,Thames Valley Police,-1.257420,51.752113,On or near Cornmarket Street,${lsoa},Oxford 008A,${type},,`;
    const [a] = (await mapAll(policeFile(row('E01028522', 'Anti-social behaviour')), policeUkStreetRows(clock))) as ImportedRow[];
    const [b] = (await mapAll(policeFile(row('E01035000', 'Anti-social behaviour')), policeUkStreetRows(clock))) as ImportedRow[];
    const [c] = (await mapAll(policeFile(row('E01028522', 'Public order')), policeUkStreetRows(clock))) as ImportedRow[];
    expect(b?.externalId).toBe(a?.externalId);
    expect(c?.externalId).not.toBe(a?.externalId);
  });

  it('takes an LSOA code alone as a location, upper-cased', async () => {
    const [item] = await mapAll(policeFile('abc,2026-09,Met,Met,,,No Location,e01000001,City of London 001A,Burglary,,'), policeUkStreetRows(clock));
    expect(item).toMatchObject({ externalId: 'abc', location: { lsoaCode: 'E01000001' } });
  });

  it.each([
    ['x,2026-13,P,P,-1.2,51.7,L,E01028522,N,Burglary,,', 'Month', 'Month is not a month written YYYY-MM.'],
    ['x,2016-10,P,P,-1.2,51.7,L,E01028522,N,Burglary,,', 'Month', 'Month is more than 10 years ago.'],
    ['x,2026-09,P,P,-1.2,,L,E01028522,N,Burglary,,', 'Latitude', 'Latitude is empty while Longitude is given.'],
    ['x,2026-09,P,P,-1.2,91,L,E01028522,N,Burglary,,', 'Latitude', 'Latitude is not a latitude in degrees (-90 to 90).'],
    ['x,2026-09,P,P,east,51.7,L,E01028522,N,Burglary,,', 'Longitude', 'Longitude is not a longitude in degrees (-180 to 180).'],
    ['x,2026-09,P,P,,,L,not-a-code,N,Burglary,,', 'LSOA code', 'LSOA code is not an ONS code (a letter and eight digits).'],
    ['x,2026-09,P,P,-1.2,51.7,L,E01028522,N,,,', 'Crime type', 'Crime type is empty.'],
  ])('rejects %s at %s', async (line, column, reason) => {
    const [item] = await mapAll(policeFile(line), policeUkStreetRows(clock));
    expect(item).toEqual({ row: 2, rejection: { row: 2, column, reason } });
  });
});

describe('mapped-csv rows', () => {
  it('reads a mapping and the columns it names: grid references converted, address and description kept', async () => {
    const mapping = parseCsvMapping(JSON.stringify({ externalId: 'Ref', occurredAt: 'Date', category: 'Type', easting: 'E', northing: 'N', address: 'Street', description: 'Notes' }));
    const mapper = mappedCsvRows(mapping, clock);
    expect(mapper.columns).toEqual(['Ref', 'Date', 'Type', 'E', 'N', 'Street', 'Notes']);
    const items = await mapAll(Readable.from(['Ref,Date,Type,E,N,Street,Notes,Other\nFT-1,01/11/2026,Fly-tip,451200,206300,High Street,Mattress by the bins,x\nFT-2,03/10/2026,Fly-tip,,,,,\n']), mapper);
    expect(items).toEqual([
      {
        row: 2,
        externalId: 'FT-1',
        sourceCategory: 'Fly-tip',
        occurredAt: '2026-11-01T00:00:00.000Z',
        occurredPrecision: 'day',
        month: '2026-11',
        location: { lat: expect.any(Number), lng: expect.any(Number), address: 'High Street' },
        description: 'Mattress by the bins',
      },
      { row: 3, rejection: { row: 3, column: 'E', reason: 'The row has no location: no coordinates and no LSOA code.' } },
    ]);
    // SP 51200 06300 lies in Oxford.
    expect((items[0] as ImportedRow).location.lat).toBeCloseTo(51.754, 2);
    expect((items[0] as ImportedRow).location.lng).toBeCloseTo(-1.263, 2);
  });

  it('rejects a row whose time is not one, naming the column', async () => {
    const mapper = mappedCsvRows(parseCsvMapping('{"externalId":"id","occurredAt":"when","category":"what","lsoaCode":"lsoa"}'), clock);
    const [item] = await mapAll(Readable.from(['id,when,what,lsoa\n1,yesterday,Graffiti,E01028522\n']), mapper);
    expect(item).toEqual({ row: 2, rejection: { row: 2, column: 'when', reason: 'when is not a time or date (an ISO time, YYYY-MM-DDTHH:mm, YYYY-MM-DD, DD/MM/YYYY or YYYY-MM).' } });
  });

  it.each([
    [undefined, 'A mapped-csv import needs a mapping.'],
    ['{', 'The mapping is not JSON.'],
    ['[]', 'The mapping is not a JSON object.'],
    ['{"externalId":"a","occurredAt":"b","category":"c","lat":"d"}', 'The mapping gives "lat" and "lng" together or neither.'],
    ['{"externalId":"a","occurredAt":"b","category":"c"}', 'The mapping gives no location: "lat" and "lng", "easting" and "northing", or "lsoaCode".'],
    ['{"externalId":"a","occurredAt":"b","lsoaCode":"c"}', 'The mapping lacks "category".'],
    ['{"externalId":"a","occurredAt":"b","category":"c","lsoaCode":"d","colour":"e"}', 'The mapping names an unknown field "colour".'],
    ['{"externalId":"a","occurredAt":"b","category":7,"lsoaCode":"d"}', 'The mapping\'s "category" is not a column name.'],
  ])('refuses the mapping %s', (text, message) => {
    expect(() => parseCsvMapping(text)).toThrow(expect.objectContaining({ code: 'IMPORT_FORMAT_INVALID', message }));
  });
});
