import { eventually, startJobsApp, type JobsApp } from './support/jobs-app';
import { startReceiver } from './support/receiver';
import { startOwnRedis } from './support/redis-server';
import { assign, people, raiseProblem, referenceData, WEBHOOK_SECRET, type People } from './support/story';

const FAR = '2031-01-31T17:00:00.000Z';

describe('Redis outage (a redis-server of the test with AOF, stopped and started)', () => {
  let redis: Awaited<ReturnType<typeof startOwnRedis>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let t: JobsApp;
  let p: People;

  beforeAll(async () => {
    redis = await startOwnRedis();
    receiver = await startReceiver(WEBHOOK_SECRET);
    t = await startJobsApp({ REDIS_URL: redis.url, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_ATTEMPTS: '20', WEBHOOK_RETRY_BASE_MS: '100' });
    p = await people(t);
    await referenceData(t, p, { 'COUNCIL-ASB': receiver.url() });
    expect(await t.jobs.whenStarted()).toBe('running');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await redis?.close();
  });

  it('delivers each of 50 assignments made across the outage exactly once', async () => {
    const problemId = await raiseProblem(t, p);
    const actions: string[] = [];
    for (let i = 0; i < 10; i += 1) actions.push(await assign(t, p, problemId, 'COUNCIL-ASB', FAR));

    await redis.stop();
    // Commands go on without Redis; readiness reports it degraded, not failed.
    for (let i = 0; i < 30; i += 1) actions.push(await assign(t, p, problemId, 'COUNCIL-ASB', FAR));
    await eventually(async () => !(await t.jobs.redisStatus()).ok, 5000, 'Redis reported away');
    const status = await t.jobs.redisStatus();
    expect(status.reason).toMatch(/unreachable|not reachable/);
    // The reactor meets the outage (its batch is refused and waits in the log) before Redis is back:
    // it may first wait out other sessions' transactions that hide the newest events for a moment.
    await eventually(async () => t.logs.some((line) => /reactor .*events wait in the log/.test(line)) || undefined, 10_000, 'the reactor to meet the outage');

    await redis.start();
    for (let i = 0; i < 10; i += 1) actions.push(await assign(t, p, problemId, 'COUNCIL-ASB', FAR));
    expect(actions).toHaveLength(50);

    const eventIds = await Promise.all(actions.map(async (id) => (await t.runtime.store.read(`action-${id}`))[0]!.eventId));
    const rows = await eventually(async () => {
      const found = await t.rows<{ event_id: string }>(`SELECT event_id FROM ${t.schema}.webhook_deliveries WHERE agency = 'COUNCIL-ASB'`);
      return found.length >= 50 ? found : undefined;
    }, 45_000, '50 acknowledged deliveries');
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(rows.map((r) => r.event_id).sort()).toEqual([...eventIds].sort());
    const acknowledged = receiver.acknowledged().map((r) => r.eventId);
    expect(acknowledged.sort()).toEqual([...eventIds].sort()); // each once: none twice
    expect(receiver.receipts.every((r) => r.validSignature)).toBe(true);
    expect(t.logs.some((line) => /resumed/.test(line))).toBe(true);
    expect((await t.jobs.redisStatus()).ok).toBe(true);
  }, 90_000);
});

describe('a Redis that may evict keys', () => {
  it('is refused with one clear line: the workers do not run, the API and projections do', async () => {
    const redis = await startOwnRedis(['--maxmemory-policy', 'allkeys-lru']);
    const t = await startJobsApp({ REDIS_URL: redis.url });
    try {
      expect(await t.jobs.whenStarted()).toBe('refused');
      const errors = t.logs.filter((line) => line.startsWith('error'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/maxmemory-policy allkeys-lru.*set maxmemory-policy noeviction/);
      expect(errors[0]).not.toContain('\n');
      const status = await t.jobs.redisStatus();
      expect(status).toMatchObject({ ok: false, status: 'refused' });
      expect(t.jobs.redisState().workers).toBe('refused');
      // The API still answers and appends.
      const p = await people(t);
      await referenceData(t, p);
      expect(await raiseProblem(t, p)).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await t.close();
      await redis.close();
    }
  }, 30_000);

  it('without Redis at all, the API starts and the reactor waits (readiness degraded, not failed)', async () => {
    const t = await startJobsApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const p = await people(t);
      await referenceData(t, p);
      const problemId = await raiseProblem(t, p);
      await assign(t, p, problemId, 'COUNCIL-ASB', FAR);
      const status = await t.jobs.redisStatus();
      expect(status.ok).toBe(false);
      const ready = await t.request('GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(JSON.stringify(ready.body)).toMatch(/redis/);
      expect(await t.jobs.reactor.checkpoint()).toBe('');
    } finally {
      await t.close();
    }
  }, 30_000);
});
