import { eventually, startJobsApp, type JobsApp } from './support/jobs-app';
import { startOwnRedis } from './support/redis-server';
import { people, raiseProblem, referenceData, type People } from './support/story';

/** The role that runs the service (and nothing of a partnership's work). */
const operator = (t: JobsApp) => t.token({ sub: 'u-ops', name: 'Olu Operator', agency: 'POLICE', roles: ['operator'], partnerships: ['default'] });

describe('admin routes over the jobs (real Redis, real PostgreSQL)', () => {
  let t: JobsApp;
  let p: People;

  beforeAll(async () => {
    t = await startJobsApp({ QUEUE_DASHBOARD: 'true' });
    expect(await t.jobs.whenStarted()).toBe('running');
    p = await people(t);
    await referenceData(t, p);
    for (let i = 0; i < 3; i += 1) await raiseProblem(t, p);
  }, 60_000);
  afterAll(() => t?.close());

  it('runs a projection rebuild as a projection-rebuild job with progress, visible at /v1/admin/jobs/:id', async () => {
    // Readers see only commits older than every open transaction on the server: start the rebuild
    // once the log shows everything committed, so its count is the table's.
    const committed = Number((await t.rows<{ n: string }>(`SELECT count(*)::text AS n FROM ${t.schema}.events`))[0]!.n);
    await eventually(async () => ((await t.runtime.store.readAll('', 10_000)).length >= committed ? true : undefined), 10_000, 'the log to show every committed event');
    const started = await t.request('POST', '/v1/admin/projections/problems/rebuild', { token: p.admin });
    expect(started.status).toBe(202);
    expect(started.body.job).toMatchObject({ type: 'projection-rebuild', projection: 'problems', runner: 'queue' });
    const id = started.body.jobId as string;
    const done = await eventually(async () => {
      const job = await t.request('GET', `/v1/admin/jobs/${id}`, { token: p.admin });
      return job.body?.state === 'completed' ? job.body : undefined;
    }, 20_000, 'the rebuild job to complete');
    const events = Number((await t.rows<{ n: string }>(`SELECT count(*)::text AS n FROM ${t.schema}.events`))[0]!.n);
    expect(done.progress).toEqual({ done: events, total: events });
    expect(done.result).toMatchObject({ events });
    expect((await t.request('GET', `/v1/admin/jobs/${id}`, { token: p.inspector })).status).toBe(403);
    expect((await t.request('GET', '/v1/admin/jobs/00000000-0000-4000-8000-000000000000', { token: p.admin })).status).toBe(404);
  });

  it('shows Redis and the queues to admins', async () => {
    const answer = await t.request('GET', '/v1/admin/queues', { token: p.admin });
    expect(answer.status).toBe(200);
    expect(answer.body.redis).toMatchObject({ status: 'up', workers: 'running' });
    expect(Object.keys(answer.body.queues)).toEqual(['notifications', 'deadlines', 'projection-rebuild', 'reports', 'imports'].map((kind) => `${t.prefix}-${t.schema}-${kind}`));
  });

  it('opens the queue dashboard to operators only through a single-use ticket that sets a same-site httpOnly cookie', async () => {
    expect((await t.request('GET', '/admin/queues')).status).toBe(401);
    expect((await t.request('GET', '/admin/queues/')).status).toBe(401);
    expect((await t.request('POST', '/v1/admin/queues/ticket', { token: p.inspector })).status).toBe(403);
    // The board spans every partnership's queues: a partnership's admin does not get it.
    const admin = await t.request('POST', '/v1/admin/queues/ticket', { token: p.admin });
    expect(admin.status).toBe(403);
    expect(admin.body.code).toBe('FORBIDDEN_ROLE');
    const issued = await t.request('POST', '/v1/admin/queues/ticket', { token: await operator(t) });
    expect(issued.status).toBe(201);
    expect(issued.body.url).toMatch(/^\/admin\/queues\?ticket=[A-Za-z0-9_-]{40,}$/);
    expect(issued.body.url).not.toContain('.'); // no JWT in it

    const first = await t.request('GET', issued.body.url);
    expect(first.status).toBe(303);
    expect(first.headers['location']).toBe('/admin/queues/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/^tl_queues=[A-Za-z0-9_-]+; Path=\/admin\/queues; HttpOnly; SameSite=Strict; Max-Age=\d+/);

    expect((await t.request('GET', issued.body.url)).status).toBe(401); // single use
    const page = await t.request('GET', '/admin/queues/', { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<html/i);
    const api = await t.request('GET', '/admin/queues/api/queues', { headers: { cookie: cookie.split(';')[0]! } });
    expect(api.status).toBe(200);
    expect(JSON.stringify(api.body)).toContain(`${t.prefix}-${t.schema}-notifications`);
    expect((await t.request('GET', '/admin/queues/api/queues', { headers: { cookie: 'tl_queues=forged-session-value-123456789' } })).status).toBe(401);
  });

  it('is read-only, and shows a failed job without a stack or a server path', async () => {
    const issued = await t.request('POST', '/v1/admin/queues/ticket', { token: await operator(t) });
    const cookie = String((await t.request('GET', issued.body.url)).headers['set-cookie']).split(';')[0]!;
    // A pack job for a meeting this database does not hold fails on its only attempt.
    const reports = t.jobs.queue('reports');
    const failing = await reports.add('pack', { meetingId: '00000000-0000-4000-8000-0000000000aa' }, { jobId: 'pack-missing-meeting' });
    await eventually(async () => (await failing.getState()) === 'failed', 15_000, 'the pack job to fail');

    const name = t.jobs.queueName('reports');
    const board = await t.request('GET', `/admin/queues/api/queues?activeQueue=${name}&status=failed&page=1&jobsPerPage=10`, { headers: { cookie } });
    expect(board.status).toBe(200);
    const shown = (board.body.queues as any[]).find((q) => q.name === name);
    expect(shown.readOnlyMode).toBe(true);
    const job = (shown.jobs as any[]).find((j) => j.id === 'pack-missing-meeting');
    expect(job.failedReason).toContain('not found');
    expect(job.stacktrace).toEqual([]);
    expect(JSON.stringify(board.body)).not.toContain(process.cwd());

    for (const [method, url] of [
      ['PUT', `/admin/queues/api/queues/${name}/clean/failed`],
      ['PUT', `/admin/queues/api/queues/${name}/pause`],
      ['PUT', `/admin/queues/api/queues/${name}/retry/failed`],
      ['PUT', `/admin/queues/api/queues/${name}/pack-missing-meeting/retry`],
      ['PUT', '/admin/queues/api/queues/pause'],
      ['POST', `/admin/queues/api/queues/${name}/add`],
    ] as const) {
      const refused = await t.request(method, url, { headers: { cookie }, body: {} });
      expect([method, url, refused.status]).toEqual([method, url, 405]);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.code).toBe('READ_ONLY');
    }
    expect(await failing.getState()).toBe('failed');
    expect(await reports.isPaused()).toBe(false);
  });
});

describe('the queue dashboard switched off (the default)', () => {
  it('has no route and gives no ticket', async () => {
    const t = await startJobsApp();
    try {
      const p = await people(t);
      expect((await t.request('POST', '/v1/admin/queues/ticket', { token: p.admin })).status).toBe(403);
      expect((await t.request('POST', '/v1/admin/queues/ticket', { token: await operator(t) })).status).toBe(404);
      expect((await t.request('GET', '/admin/queues')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('the queue dashboard started before Redis answers', () => {
  it('serves the queues once Redis is up: queues made while it was away are not broken for good', async () => {
    const redis = await startOwnRedis();
    await redis.stop();
    const t = await startJobsApp({ QUEUE_DASHBOARD: 'true', REDIS_URL: redis.url });
    try {
      const p = await people(t);
      await redis.start();
      expect(await t.jobs.whenStarted()).toBe('running');
      const answer = await t.request('GET', '/v1/admin/queues', { token: p.admin });
      expect(answer.status).toBe(200);
      expect(answer.body.redis).toMatchObject({ status: 'up', workers: 'running' });
      expect(Object.keys(answer.body.queues ?? {})).toHaveLength(5);
      const started = await t.request('POST', '/v1/admin/projections/problems/rebuild', { token: p.admin });
      expect(started.status).toBe(202);
      expect(started.body.job).toMatchObject({ runner: 'queue' });
      const issued = await t.request('POST', '/v1/admin/queues/ticket', { token: await operator(t) });
      expect(issued.status).toBe(201);
      const first = await t.request('GET', issued.body.url);
      const cookie = String(first.headers['set-cookie']).split(';')[0]!;
      const api = await t.request('GET', '/admin/queues/api/queues', { headers: { cookie } });
      expect(api.status).toBe(200);
      expect(JSON.stringify(api.body)).toContain(`${t.prefix}-${t.schema}-projection-rebuild`);
    } finally {
      await t.close();
      await redis.close();
    }
  }, 60_000);

  it('answers 503 while Redis never comes, and closes', async () => {
    const t = await startJobsApp({ QUEUE_DASHBOARD: 'true', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const p = await people(t);
      const answer = await t.request('GET', '/v1/admin/queues', { token: p.admin });
      expect(answer.status).toBe(200);
      expect(answer.body.queues).toBeNull();
      expect((await t.request('POST', '/v1/admin/queues/ticket', { token: await operator(t) })).status).toBe(503);
    } finally {
      await t.close();
    }
  }, 30_000);
});
