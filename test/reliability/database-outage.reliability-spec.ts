import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signDevToken } from '@tasking/auth';
import { START, type Position } from '@tasking/event-store';
import { loadConfig } from '@tasking/shared';
import { createApp } from '../../apps/api/src/create-app';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { sparePort } from '../jobs/support/redis-server';
import { listen, type HttpAnswer, type Listening } from './support/listen';
import { startOwnPostgres } from './support/postgres-cluster';

/**
 * Database outage (quality.md, Reliability): the API runs in this process on a PostgreSQL cluster
 * of the test's own, under a steady load of commands and queries over real HTTP; the cluster is
 * stopped (a clean `fast` stop, then an `immediate` one, as if it crashed) and started again.
 * Meanwhile every answer is a 503 with Retry-After or a normal one (never a 500, never slower
 * than a bound), /health/ready says not ready; afterwards everything recovers without restarting
 * the app, and every command answered 2xx has its events in the log.
 */

const CLIENT_TIMEOUT_MS = 15_000;
/** The longest an answer may take, outage or not (the pool gives up connecting after 5 s). */
const ANSWER_BOUND_MS = 8_000;
const WORKERS = 6;

interface Record_ {
  at: number;
  phase: string;
  what: string;
  status: number | 'timeout' | 'network';
  code?: string;
  retryAfter?: string | null;
  ms: number;
  result?: { id: string; revision: number; position: Position };
}

describe('database outage under load (a cluster of the test\'s own, stopped and started)', () => {
  let cluster: Awaited<ReturnType<typeof startOwnPostgres>>;
  let runtime: Runtime;
  let app: NestFastifyApplication;
  let http: Listening;
  const secret = randomBytes(32).toString('hex');
  const records: Record_[] = [];
  let phase = 'before';

  beforeAll(async () => {
    cluster = await startOwnPostgres();
    const config = loadConfig({
      DATABASE_URL: cluster.url,
      AUTH_JWT_SECRET: secret,
      REDIS_URL: `redis://127.0.0.1:${await sparePort()}`,
      RATE_LIMIT_PER_USER_PER_MINUTE: '0',
      RATE_LIMIT_PER_IP_PER_MINUTE: '0',
      READ_YOUR_WRITES_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'silent',
    });
    // A schema of its own keeps the jobs out of this process (no Redis in this story).
    runtime = await openRuntime(config, { schema: 'outage', projectionOptions: { logger: { warn: () => undefined, error: () => undefined }, maxRetryDelayMs: 1000 } });
    app = await createApp(runtime, { logDestination: new Writable({ write: (_c, _e, done) => done() }) });
    http = await listen(app);
  }, 120_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await runtime?.close().catch(() => undefined);
    await cluster?.close();
  });

  async function call(what: string, method: 'GET' | 'POST' | 'PUT', path: string, token: string, body?: unknown, headers?: Record<string, string>): Promise<HttpAnswer | undefined> {
    const started = Date.now();
    try {
      const answer = await http.call(method, path, { token, body, headers, timeoutMs: CLIENT_TIMEOUT_MS });
      records.push({
        at: started,
        phase,
        what,
        status: answer.status,
        code: answer.body?.code,
        retryAfter: answer.headers.get('retry-after'),
        ms: answer.ms,
        result: method !== 'GET' && answer.status < 300 ? answer.body : undefined,
      });
      return answer;
    } catch (error) {
      const timeout = (error as Error).name === 'TimeoutError';
      records.push({ at: started, phase, what, status: timeout ? 'timeout' : 'network', ms: Date.now() - started });
      return undefined;
    }
  }

  it('answers 503 with Retry-After (never 500, never a hang) while the database is down, goes not-ready, and recovers without a restart losing no acknowledged command', async () => {
    const token = (roles: ('admin' | 'inspector' | 'officer')[], agency = 'POLICE') =>
      signDevToken(secret, { sub: `u-${roles[0]}-${agency}`, name: `${roles[0]} ${agency}`, agency, roles });
    const admin = await token(['admin']);
    const inspector = await token(['inspector']);
    const officer = await token(['officer'], 'COUNCIL-ASB');
    for (const code of ['POLICE', 'COUNCIL-ASB']) expect((await http.post('/v1/agencies', { token: admin, body: { code, name: code, kind: 'other' } })).status).toBe(201);
    expect((await http.call('PUT', '/v1/areas/enfield-town', { token: admin, body: { name: 'Enfield Town', centroid: { lat: 51.65, lng: -0.08 } } })).status).toBe(200);

    const problems: string[] = [];
    const actions: string[] = [];
    let running = true;
    const pick = <T>(items: T[]): T | undefined => items[Math.floor(Math.random() * items.length)];
    const worker = async (n: number) => {
      for (let i = 0; running; i += 1) {
        const roll = (i * 7 + n * 13) % 10;
        const problem = pick(problems);
        const action = pick(actions);
        if (roll < 3 || !problem) {
          const answer = await call('raise', 'POST', '/v1/problems', inspector, { title: `Problem ${n}-${i}`, description: 'd', category: 'noise', location: { areaCode: 'enfield-town' } });
          if (answer?.status === 201) problems.push(answer.body.id);
        } else if (roll < 5) {
          const answer = await call('assign', 'POST', `/v1/problems/${problem}/actions`, inspector, {
            agency: 'COUNCIL-ASB',
            description: 'x',
            tactic: { category: 'prevention', name: 'cctv' },
            dueBy: '2031-01-01T00:00:00Z',
          });
          if (answer?.status === 201) actions.push(answer.body.id);
        } else if (roll < 6 && action) {
          await call('claim', 'POST', `/v1/actions/${action}/claim`, officer);
        } else if (roll < 7) {
          await call('review', 'POST', `/v1/problems/${problem}/reviews`, inspector, { rag: 'green', note: `review ${n}-${i}` }, { 'idempotency-key': `review-${n}-${i}` });
        } else if (roll < 8) {
          await call('detail', 'GET', `/v1/problems/${problem}`, inspector);
        } else if (roll < 9) {
          await call('list', 'GET', '/v1/problems?limit=5', inspector);
        } else {
          await call('queue', 'GET', '/v1/actions?agency=COUNCIL-ASB&limit=5', officer);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const readiness: { phase: string; status: number | string; ms: number }[] = [];
    const probe = async () => {
      while (running) {
        const started = Date.now();
        try {
          const answer = await http.get('/health/ready', { timeoutMs: CLIENT_TIMEOUT_MS });
          readiness.push({ phase, status: answer.status, ms: Date.now() - started });
        } catch (error) {
          readiness.push({ phase, status: (error as Error).name, ms: Date.now() - started });
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const load = Promise.all([...Array.from({ length: WORKERS }, (_, n) => worker(n)), probe()]);

    const recoveries: Record<string, number> = {};
    for (const mode of ['fast', 'immediate'] as const) {
      phase = `up before ${mode}`;
      await sleep(3000);
      phase = `stopping (${mode})`;
      await cluster.stop(mode);
      phase = `down (${mode})`;
      await sleep(6000);
      phase = `restarting after ${mode}`;
      const restartedAt = Date.now();
      await cluster.start();
      phase = `up after ${mode}`;
      // Recovered: a command answered 2xx again after the restart.
      const deadline = Date.now() + 30_000;
      while (!records.some((r) => r.phase === phase && typeof r.status === 'number' && r.status < 300 && r.result)) {
        if (Date.now() > deadline) throw new Error(`no command succeeded within 30 s of the restart after the ${mode} stop`);
        await sleep(50);
      }
      recoveries[mode] = Date.now() - restartedAt;
      await sleep(3000);
    }
    running = false;
    await load;

    // The projections are back too: a read of the newest acknowledged write comes back (read-your-writes).
    const acknowledged = records.filter((r) => r.result);
    const newest = acknowledged.map((r) => r.result!.position).reduce((a, b) => (a > b ? a : b), START);
    const fresh = await http.get('/v1/problems?limit=1', { token: inspector, headers: { 'x-min-position': newest }, timeoutMs: CLIENT_TIMEOUT_MS });
    expect(fresh.status).toBe(200);
    expect((await http.get('/health/ready')).status).toBe(200);

    // Every command answered 2xx has its event in the log, at the position it was given.
    const logged = new Map<string, string>();
    for (let after: Position = START; ; ) {
      const batch = await runtime.store.readAll(after, 1000);
      if (batch.length === 0) break;
      for (const event of batch) logged.set(event.position, event.stream);
      after = batch[batch.length - 1]!.position;
    }
    const lost = acknowledged.filter((r) => !(logged.get(r.result!.position) ?? '').endsWith(r.result!.id));

    const byPhase: Record<string, Record<string, number>> = {};
    for (const r of records) {
      const key = `${r.status}${r.code ? ` ${r.code}` : ''}`;
      byPhase[r.phase] ??= {};
      byPhase[r.phase]![key] = (byPhase[r.phase]![key] ?? 0) + 1;
    }
    const slowest = Math.max(...records.map((r) => r.ms));
    console.log(
      `database outage: ${records.length} requests, ${acknowledged.length} commands acknowledged, ${lost.length} lost, slowest ${slowest} ms, ` +
        `recovered ${JSON.stringify(recoveries)} ms after restart; by phase ${JSON.stringify(byPhase)}; readiness ${JSON.stringify(
          readiness.reduce<Record<string, Record<string, number>>>((acc, r) => ({ ...acc, [r.phase]: { ...acc[r.phase], [r.status]: (acc[r.phase]?.[r.status] ?? 0) + 1 } }), {}),
        )}`,
    );

    expect(lost).toEqual([]);
    expect(records.filter((r) => r.status === 500 || (typeof r.status === 'number' && r.status > 503))).toEqual([]);
    expect(records.filter((r) => r.status === 'timeout' || r.status === 'network')).toEqual([]);
    expect(records.filter((r) => r.ms > ANSWER_BOUND_MS)).toEqual([]);
    const unavailable = records.filter((r) => r.status === 503);
    for (const mode of ['fast', 'immediate']) expect(unavailable.filter((r) => r.phase === `down (${mode})`).length).toBeGreaterThan(0);
    expect(unavailable.filter((r) => !r.retryAfter)).toEqual([]);
    expect(unavailable.filter((r) => r.code !== 'SERVICE_UNAVAILABLE' && r.code !== 'NOT_CAUGHT_UP')).toEqual([]);
    // Readiness: not ready while down, ready again after.
    for (const mode of ['fast', 'immediate']) {
      expect(readiness.filter((r) => r.phase === `down (${mode})` && r.status === 503).length).toBeGreaterThan(0);
      expect(readiness.filter((r) => r.phase === `down (${mode})` && r.status === 200)).toHaveLength(0);
      expect(readiness.some((r) => r.phase === `up after ${mode}` && r.status === 200)).toBe(true);
    }
    expect(readiness.filter((r) => typeof r.status !== 'number' || r.ms > ANSWER_BOUND_MS)).toEqual([]);
  });
});
