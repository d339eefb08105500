import { randomUUID } from 'node:crypto';
import { FixedClock } from '@tasking/shared';
import { raiseProblem } from '../../../../../test/support/fixtures';
import { openTestApp, type TestApp } from '../../../../../test/support/test-runtime';

describe('admin projection routes and read-your-writes', () => {
  let t: TestApp;
  let admin: string;
  const clock = new FixedClock(new Date(Date.now() + 60_000));

  // Projections not running in this process, as with WORKER_MODE=separate before a worker starts.
  beforeAll(async () => {
    t = await openTestApp({ clock, runProjections: false, env: { READ_YOUR_WRITES_TIMEOUT_MS: '300' } });
    admin = await t.token({ roles: ['admin'] });
  });
  afterAll(() => t.close());

  it('reports each projection behind the log, answers 503 NOT_CAUGHT_UP to X-Min-Position, then catches up', async () => {
    await raiseProblem(t.runtime.store);
    const { problemId, result } = await raiseProblem(t.runtime.store);
    // Readers see an event once no older transaction is running anywhere on the server (tests in
    // parallel hold some): wait until the head shows it.
    while ((await t.runtime.store.headPosition()) < result.position) await new Promise((resolve) => setTimeout(resolve, 20));

    const behind = await t.get('/v1/admin/projections', { token: admin });
    expect(behind.status).toBe(200);
    expect(behind.body.items.map((p: { name: string }) => p.name)).toEqual(t.runtime.projections.names);
    for (const projection of behind.body.items) {
      expect(projection).toMatchObject({ position: '', status: 'running', lastError: null, errorPosition: null, lagEvents: 2, eventsApplied: 0 });
      expect(projection.lagMs).toBeGreaterThanOrEqual(55_000);
    }

    const inspector = await t.token();
    const waited = await t.get(`/v1/problems/${problemId}`, { token: inspector, headers: { 'x-min-position': result.position } });
    expect(waited.status).toBe(503);
    expect(waited.body.code).toBe('NOT_CAUGHT_UP');
    expect(waited.headers['retry-after']).toBe('1');
    expect((await t.get('/v1/problems', { token: inspector, headers: { 'x-min-position': 'not a position' } })).status).toBe(400);

    await t.runtime.projections.start();
    const fresh = await t.get(`/v1/problems/${problemId}`, { token: inspector, headers: { 'x-min-position': result.position } });
    expect(fresh.status).toBe(200);
    expect(String(fresh.headers['x-projection-position']) >= result.position).toBe(true);
    // The route above waited for the projections it reads; the admin view lists every one.
    expect(await t.runtime.projections.waitFor(result.position, 10_000)).toBe(true);
    const caughtUp = await t.get('/v1/admin/projections', { token: admin });
    for (const projection of caughtUp.body.items) expect(projection).toMatchObject({ position: result.position, lagEvents: 0, lagMs: 0, eventsApplied: 2 });
  });

  it('rebuilds a projection as a job with progress', async () => {
    const started = await t.post('/v1/admin/projections/problems/rebuild', { token: admin });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ jobId: expect.any(String), job: { projection: 'problems', type: 'projection-rebuild' } });
    let job = (await t.get(`/v1/admin/jobs/${started.body.jobId}`, { token: admin })).body;
    for (let i = 0; i < 100 && job.state === 'running'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await t.get(`/v1/admin/jobs/${started.body.jobId}`, { token: admin })).body;
    }
    expect(job).toMatchObject({ state: 'completed', progress: { done: 2, total: 2 }, error: null, result: { events: 2 } });
  });

  it('refuses non-admins, unknown projections and jobs, and bodies', async () => {
    const manager = await t.token({ roles: ['manager'] });
    expect((await t.get('/v1/admin/projections', { token: manager })).status).toBe(403);
    expect((await t.post('/v1/admin/projections/problems/rebuild', { token: manager })).status).toBe(403);
    expect((await t.post('/v1/admin/projections/nope/rebuild', { token: admin })).status).toBe(404);
    expect((await t.post('/v1/admin/projections/problems/rebuild', { token: admin, body: { now: true } })).status).toBe(400);
    expect((await t.get(`/v1/admin/jobs/${randomUUID()}`, { token: admin })).status).toBe(404);
    expect((await t.get('/v1/admin/jobs/42', { token: admin })).status).toBe(400);
  });
});
