import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJobId } from '@tasking/jobs';
import { eventually, startJobsApp, type JobsApp } from './support/jobs-app';

const FIXTURE = readFileSync(join(__dirname, '../fixtures/police-uk-street.csv'));

describe('imports run as jobs of the imports queue when Redis is up', () => {
  let t: JobsApp;
  let inspector: string;

  beforeAll(async () => {
    t = await startJobsApp();
    expect(await t.jobs.whenStarted()).toBe('running');
    const admin = await t.token({ sub: 'u-admin', name: 'Ada Admin', agency: 'POLICE', roles: ['admin'], partnerships: ['default'] });
    inspector = await t.token({ sub: 'u-insp', name: 'Insp Jane Hart', agency: 'POLICE', roles: ['inspector'], partnerships: ['default'] });
    expect((await t.request('PUT', '/v1/sources/police', { token: admin, body: { name: 'Street crime', kind: 'police' } })).status).toBe(200);
    const area = await t.request('PUT', '/v1/areas/oxford-central', { token: admin, body: { name: 'Oxford central', centroid: { lat: 51.75, lng: -1.25 }, lsoaCodes: ['E01028522', 'E01028523', 'E01028530'] } });
    expect(area.status).toBe(200);
    expect(await t.runtime.projections.waitFor(area.body.position, 20_000)).toBe(true);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('queues the import, and the worker runs it to the end', async () => {
    const response = await t.app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/v1/imports?source=police&format=police-uk-street',
      headers: { authorization: `Bearer ${inspector}`, 'content-type': 'text/csv' },
      payload: FIXTURE,
    });
    expect(response.statusCode).toBe(202);
    const { id } = JSON.parse(response.body) as { id: string };
    const job = await t.jobs.queue('imports').getJob(importJobId(id));
    expect(job?.data).toEqual({ importId: id });
    const done = await eventually(async () => {
      const answer = await t.request('GET', `/v1/imports/${id}`, { token: inspector });
      return answer.body.status === 'completed' && answer.body;
    });
    expect(done).toMatchObject({ rowsRead: 9, recorded: 7, rejected: 1, outsidePartnership: 1 });
    // The import records its end before the queue marks the job done: wait for the queue too.
    const finished = await eventually(async () => (await t.jobs.queue('imports').getJob(importJobId(id)))?.returnvalue ?? undefined);
    expect(finished).toEqual({ importId: id, status: 'completed' });
  });
});
