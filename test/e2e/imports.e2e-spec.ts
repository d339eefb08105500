import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICE_UK_STREET_COLUMNS } from '@tasking/application';
import { injectJson } from '../support/inject';
import { NORTH, startCommandApp, type CommandApp } from './support/command-app';
import { people, registerReferenceData, type People } from './support/fixtures';

const FIXTURE = readFileSync(join(__dirname, '../fixtures/police-uk-street.csv'));
const HEADER = `${POLICE_UK_STREET_COLUMNS.join(',')}\n`;
const ROW = 'abc,2026-09,Thames Valley Police,Thames Valley Police,-1.257420,51.752113,On or near Cornmarket Street,E01028522,Oxford 008A,Burglary,Under investigation,\n';

describe('bulk imports over HTTP', () => {
  let t: CommandApp;
  let p: People;

  const send = async (body: Buffer | string, options: { token?: string; query?: string; contentType?: string } = {}) => {
    const response = await t.app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: `/v1/imports?${options.query ?? 'source=police&format=police-uk-street'}`,
      headers: { authorization: `Bearer ${options.token ?? p.inspector}`, 'content-type': options.contentType ?? 'text/csv' },
      payload: body,
    });
    return { status: response.statusCode, body: response.body === '' ? undefined : JSON.parse(response.body) };
  };
  const finished = async (id: string) => {
    await t.runtime.jobs!.imports.settled();
    return injectJson(t.app, 'GET', `/v1/imports/${id}`, { token: p.inspector });
  };
  const incidentEvents = async (): Promise<number> => {
    const { rows } = await t.runtime.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${t.schema}".events WHERE stream_id LIKE 'incident-%'`);
    return Number(rows[0]!.n);
  };

  beforeAll(async () => {
    t = await startCommandApp({ IMPORT_MAX_BYTES: String(4 * 1024 * 1024) });
    p = await people(t);
    await registerReferenceData(t, p);
    const police = await t.put('/v1/sources/police', { token: p.admin, body: { partnership: NORTH, name: 'Thames Valley street crime', kind: 'police' } });
    expect(police.status).toBe(200);
    for (const [code, lsoaCodes] of [
      ['oxford-central', ['E01028522', 'E01028523']],
      ['oxford-east', ['E01028530']],
    ] as const) {
      const area = await t.put(`/v1/areas/${code}`, { token: p.admin, body: { partnership: NORTH, name: code, centroid: { lat: 51.75, lng: -1.25 }, lsoaCodes } });
      expect(area.status).toBe(200);
      expect(await t.runtime.projections.waitFor(area.body.position, 20_000)).toBe(true);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('imports a data.police.uk street file: 202 with its id, then the counts, the rejected row and the areas', async () => {
    const started = await send(FIXTURE);
    expect(started).toMatchObject({ status: 202, body: { id: expect.any(String) } });
    const answer = await finished(started.body.id);
    expect(answer).toMatchObject({
      status: 200,
      body: {
        id: started.body.id,
        status: 'completed',
        rowsRead: 9,
        recorded: 7,
        unchanged: 0,
        updated: 0,
        withdrawn: 0,
        rejected: 1,
        outsidePartnership: 1,
        rejectedRows: [{ row: 7, column: 'Longitude', reason: 'The row has no location: no coordinates and no LSOA code.' }],
        byArea: { 'oxford-central': 4, 'oxford-east': 3 },
        position: expect.any(String),
      },
    });
    expect(await t.types(`import-${started.body.id}`)).toEqual(['ImportStarted', 'ImportCompleted']);
    expect(await incidentEvents()).toBe(7);
    const listed = await injectJson(t.app, 'GET', '/v1/imports', { token: p.manager });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(started.body.id);
  });

  it('appends no incident event when the same file comes again, as a multipart form', async () => {
    const boundary = 'xYzBoundary';
    const form = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="street.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      FIXTURE,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const started = await send(form, { contentType: `multipart/form-data; boundary=${boundary}` });
    expect(started.status).toBe(202);
    expect((await finished(started.body.id)).body).toMatchObject({ status: 'completed', rowsRead: 9, recorded: 0, unchanged: 7, updated: 0 });
    expect(await incidentEvents()).toBe(7);
  });

  it.each([
    ['a wrong header', 'Crime ID,Month,Crime type\nx,2026-09,Burglary\n', /lacks the columns "Reported by", "Falls within", "Longitude", "Latitude"/],
    ['binary content', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), /NUL byte/],
    ['an unterminated quote', `${HEADER}${ROW}x,"2026-09,never closed\n`, /quoted field is never closed/],
    ['Latin-1 text', Buffer.from(`${HEADER}${ROW.replace('Cornmarket', 'Caf\xe9')}`, 'latin1'), /not UTF-8/],
    ['an over-long line', `${HEADER}${'x'.repeat(1_100_000)}\n`, /longer than 1000000 characters/],
  ])('refuses %s with 400 IMPORT_FORMAT_INVALID, recording nothing', async (_name, body, detail) => {
    const before = await incidentEvents();
    const answer = await send(body);
    expect(answer).toMatchObject({ status: 400, body: { code: 'IMPORT_FORMAT_INVALID', detail: expect.stringMatching(detail) } });
    expect(await incidentEvents()).toBe(before);
    const { rows } = await t.runtime.db.pool.query(`SELECT count(*)::int AS n FROM "${t.schema}".import_files WHERE status = 'queued'`);
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('reads a file with a BOM and CRLF line ends like any other', async () => {
    const crlf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FIXTURE.toString('utf8').replace(/\n/g, '\r\n'))]);
    const started = await send(crlf);
    expect(started.status).toBe(202);
    expect((await finished(started.body.id)).body).toMatchObject({ status: 'completed', rowsRead: 9, recorded: 0, unchanged: 7, rejected: 1 });
  });

  it('refuses an unknown source (422) and an officer (403)', async () => {
    expect(await send(FIXTURE, { query: 'source=fire&format=police-uk-street' })).toMatchObject({ status: 422, body: { code: 'UNKNOWN_SOURCE' } });
    expect(await send(FIXTURE, { token: p.council })).toMatchObject({ status: 403 });
  });

  it('imports an agency extract through its mapping: grid references, an LSOA, and the address and description kept as personal fields', async () => {
    const council = await t.put('/v1/sources/council', { token: p.admin, body: { partnership: NORTH, name: 'Council fly-tips', kind: 'council', categoryMap: { 'Fly tip': 'fly-tipping' } } });
    expect(council.status).toBe(200);
    const mapping = encodeURIComponent(JSON.stringify({ externalId: 'Ref', occurredAt: 'Reported', category: 'Type', easting: 'E', northing: 'N', lsoaCode: 'LSOA', address: 'Street', description: 'Notes' }));
    const extract = 'Ref,Reported,Type,E,N,LSOA,Street,Notes\nFT-1,01/11/2026,Fly tip,451200,206300,E01028522,12 High Street,Mattress by the bins\nFT-2,2026-11-02T09:30,Graffiti,451250,206350,E01028530,,\n';
    const started = await send(extract, { query: `source=council&format=mapped-csv&mapping=${mapping}` });
    expect(started.status).toBe(202);
    expect((await finished(started.body.id)).body).toMatchObject({ status: 'completed', rowsRead: 2, recorded: 2, byArea: { 'oxford-central': 1, 'oxford-east': 1 } });
    const recorded = (await t.runtime.store.readAll('', 100_000)).filter((e) => e.type === 'IncidentRecorded' && e.data['source'] === 'council');
    expect(recorded.map((e) => e.data)).toEqual([
      expect.objectContaining({ externalId: 'FT-1', category: 'fly-tipping', occurredPrecision: 'day', location: expect.objectContaining({ lsoaCode: 'E01028522', areaCode: 'oxford-central', address: '12 High Street' }), description: 'Mattress by the bins' }),
      expect.objectContaining({ externalId: 'FT-2', category: 'graffiti', occurredAt: '2026-11-02T09:30:00.000Z', occurredPrecision: 'exact' }),
    ]);
    // The log holds the personal fields encrypted, under the incident's own key.
    const { rows } = await t.runtime.db.pool.query<{ data: string }>(`SELECT data::text FROM "${t.schema}".events WHERE type = 'IncidentRecorded' AND data->>'externalId' = 'FT-1'`);
    expect(rows[0]!.data).not.toContain('High Street');
    expect(rows[0]!.data).not.toContain('Mattress');
  });

  it('withdraws everything an import recorded', async () => {
    const started = await send(`${HEADER}${ROW.replace('abc', 'withdraw-me')}`);
    expect((await finished(started.body.id)).body).toMatchObject({ recorded: 1 });
    const withdrawn = await injectJson(t.app, 'POST', `/v1/imports/${started.body.id}/withdraw`, { token: p.inspector });
    expect(withdrawn).toMatchObject({ status: 200, body: { id: started.body.id, withdrawn: 1 } });
    expect(await t.types(`import-${started.body.id}`)).toEqual(['ImportStarted', 'ImportCompleted', 'ImportWithdrawn']);
  });
});
