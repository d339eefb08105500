/**
 * `http`: autocannon against the real API (a child process: bench/http-server.ts, PostgreSQL
 * store, projections and jobs inline, rate limits off, logs at info to /dev/null) with real JWTs
 * and bodies through validation: raise problem, assign action, claim, discharge, each a run of
 * N requests where every request has its own target (the ids the previous run created: problems
 * raised -> actions assigned on them -> claimed -> discharged). Baseline in the same run, against
 * the same server: the bare GET /health/live, before and after the commands. API RSS is sampled
 * from /proc every 100 ms.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import type { Benchmark, BenchContext } from './support/context';
import { benchEnv, tokenFor } from './support/app';
import { CpuMeter, databaseOf } from './support/cpu';
import { dropSchema, freshSchema } from './support/database';
import { RESULTS_DIR, type BenchOutput, type Table, type Target } from './support/report';
import { ratio, round } from './support/stats';
import { STEP_USER, assignBody, dischargeBody, raiseBody, type Step } from './support/workflow';

interface Run {
  name: string;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  rssMaxMB: number;
  /** CPU per request (µs): the API process, the PostgreSQL backends of the bench database, autocannon (this process). */
  cpuUs: { api: number; postgres: number; client: number };
  /** Seconds the projections needed after the run to catch up with the log (the backlog it left). */
  settleSeconds: number;
  /** The API's process.memoryUsage() right after the run, in MB. */
  memoryMB?: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
}

/** Waits until the API's projections have caught up with the log; seconds taken. */
async function settle(child: ChildProcess): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const onMessage = (message: { type?: string }) => {
      if (message?.type !== 'settled') return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.send({ type: 'settle' });
  });
  return Math.round((performance.now() - t0) / 100) / 10;
}

/** Asks the API process for process.memoryUsage() (MB). */
function memoryOf(child: ChildProcess): Promise<Run['memoryMB']> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 2000);
    const onMessage = (message: { type?: string; usage?: NodeJS.MemoryUsage }) => {
      if (message?.type !== 'memory' || !message.usage) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
      const u = message.usage;
      resolve({ rss: mb(u.rss), heapTotal: mb(u.heapTotal), heapUsed: mb(u.heapUsed), external: mb(u.external), arrayBuffers: mb(u.arrayBuffers) });
    };
    child.on('message', onMessage);
    child.send({ type: 'memory' });
  });
}

/** VmRSS of a process, in MB (Linux). */
function rssMB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

/**
 * One autocannon run. CPU is metered from its start until the projections have caught up after it
 * (`settle`), so each run's figure holds the work its own requests caused, including the
 * projections' share, and none of the previous run's backlog.
 */
async function cannon(name: string, url: string, child: ChildProcess, options: Omit<autocannon.Options, 'url'>, database = ''): Promise<Run> {
  const pid = child.pid!;
  const meter = new CpuMeter(database, pid);
  let rssMax = rssMB(pid);
  const sampler = setInterval(() => {
    const now = rssMB(pid);
    if (now > rssMax) rssMax = now;
  }, 100);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, pipelining: 1, timeout: 30, ...options }, (error, res) => (error ? reject(error) : resolve(res)));
  }).finally(() => clearInterval(sampler));
  const settleSeconds = await settle(child);
  const cpu = meter.read();
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count ?? 0;
  return {
    name,
    requests: total,
    seconds: round(seconds),
    requestsPerSecond: Math.round(total / seconds),
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    statuses,
    rssMaxMB: Math.round(rssMax),
    settleSeconds,
    cpuUs: { api: Math.round((cpu.otherMs * 1000) / total), postgres: Math.round((cpu.postgresMs * 1000) / total), client: Math.round((cpu.selfMs * 1000) / total) },
  };
}

/** Starts the API child process and resolves with its port once it listens. */
async function startServer(env: Record<string, string>, cpuProf: boolean): Promise<{ child: ChildProcess; port: number }> {
  // The compiled http-server.js next to this file (bench/run.js compiled both).
  const child = fork(join(__dirname, 'http-server.js'), [], {
    env: { ...process.env, ...env },
    execArgv: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(RESULTS_DIR, 'profiles')}`] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the API process exited with ${code} before listening`)));
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message?.type === 'ready') resolve(message.port!);
    });
  });
  return { child, port };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export const httpBenchmark: Benchmark = {
  name: 'http',
  title: 'commands over HTTP (autocannon) vs the bare health route',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const perStep = ctx.number('requests', { quick: 2500, full: 30000 });
    const connections = ctx.number('connections', { quick: 16, full: 16 });
    const healthSeconds = ctx.number('seconds', { quick: 3, full: 10 });
    // Diagnostics: --no-jobs, --no-projections leave them out of the API process.
    const jobs = !ctx.options.flags.has('no-jobs');
    const projections = !ctx.options.flags.has('no-projections');
    const schema = freshSchema('http');
    const env: Record<string, string> = { ...benchEnv(ctx.databaseUrl), BENCH_SCHEMA: schema, BENCH_JOBS: jobs ? '1' : '0', BENCH_PROJECTIONS: projections ? '1' : '0' };
    // Diagnostic: --log-level warn (or silent) shows what the per-request info log line costs.
    if (ctx.options.values['log-level']) env.LOG_LEVEL = ctx.options.values['log-level'];
    const secret = env.AUTH_JWT_SECRET!;
    const tokens: Record<Step, string> = {
      raise: await tokenFor(secret, STEP_USER.raise),
      assign: await tokenFor(secret, STEP_USER.assign),
      claim: await tokenFor(secret, STEP_USER.claim),
      discharge: await tokenFor(secret, STEP_USER.discharge),
    };
    if (jobs) ctx.onExit(() => dropQueues(env.REDIS_URL ?? 'redis://127.0.0.1:6379', env.QUEUE_PREFIX!)); // again at the end, or on Ctrl-C
    const { child, port } = await startServer(env, ctx.options.flags.has('cpu-prof'));
    const url = `http://127.0.0.1:${port}`;
    const pid = child.pid!;
    const database = databaseOf(ctx.databaseUrl);
    const shoot = async (name: string, options: Omit<autocannon.Options, 'url'>) => ({ ...(await cannon(name, url, child, options, database)), memoryMB: await memoryOf(child) });
    const runs: Run[] = [];
    let idleRss = NaN;
    try {
      idleRss = Math.round(rssMB(pid));
      const health = () => shoot('GET /health/live', { connections, duration: healthSeconds, requests: [{ method: 'GET', path: '/health/live' }] });
      const json = (step: Step) => ({ 'content-type': 'application/json', authorization: `Bearer ${tokens[step]}` });

      const problems: string[] = [];
      const actions: string[] = [];
      const claimed: string[] = [];
      const created = (into: string[]) => (status: number, body: string) => {
        if (status >= 200 && status < 300) into.push((JSON.parse(body) as { id: string }).id);
      };
      const raise = (amount: number, name = 'POST /v1/problems (raise)') =>
        shoot(name, { connections, amount, requests: [{ method: 'POST', path: '/v1/problems', headers: json('raise'), setupRequest: (r) => ({ ...r, body: JSON.stringify(raiseBody()) }), onResponse: created(problems) }] });
      const fromPool = (pool: string[], step: Step, path: (id: string) => string, body: () => unknown, into?: string[]) => {
        let next = 0;
        return {
          method: 'POST' as const,
          headers: body === undefined ? { authorization: `Bearer ${tokens[step]}` } : json(step),
          setupRequest: (request: autocannon.Request) => ({ ...request, path: path(pool[next++] ?? '00000000-0000-4000-8000-000000000000'), body: JSON.stringify(body()) }),
          onResponse: into ? created(into) : undefined,
        };
      };

      // Warm-up (JIT, pooled sessions, prepared statements): not reported; its problems are used.
      await raise(Math.min(1000, perStep / 4), 'warm-up');
      await shoot('warm-up', { connections, duration: 1, requests: [{ method: 'GET', path: '/health/live' }] });
      problems.length = 0;

      runs.push(await health());
      runs.push(await raise(perStep));
      runs.push(await shoot('POST /v1/problems/:id/actions (assign)', { connections, amount: perStep, requests: [fromPool(problems, 'assign', (id) => `/v1/problems/${id}/actions`, assignBody, actions)] }));
      runs.push(await shoot('POST /v1/actions/:id/claim', { connections, amount: perStep, requests: [fromPool(actions, 'claim', (id) => `/v1/actions/${id}/claim`, () => ({}), claimed)] }));
      runs.push(await shoot('POST /v1/actions/:id/discharge', { connections, amount: perStep, requests: [fromPool(claimed, 'discharge', (id) => `/v1/actions/${id}/discharge`, dischargeBody)] }));
      runs.push({ ...(await health()), name: 'GET /health/live (again)' });
      for (const run of runs) console.log(`  ${run.name}: ${run.requestsPerSecond} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, non-2xx ${run.non2xx}, RSS max ${run.rssMaxMB} MB`);
    } finally {
      await stopServer(child);
      await dropSchema(ctx.databaseUrl, schema);
      if (jobs) await dropQueues(env.REDIS_URL ?? 'redis://127.0.0.1:6379', env.QUEUE_PREFIX!);
    }

    const healthRuns = runs.filter((r) => r.name.startsWith('GET /health'));
    const healthRate = Math.round(healthRuns.reduce((n, r) => n + r.requestsPerSecond, 0) / healthRuns.length);
    const commands = runs.filter((r) => !r.name.startsWith('GET /health'));
    const rssMax = Math.max(...commands.map((r) => r.rssMaxMB));
    const memory: Table = {
      title: 'API memory right after each run (process.memoryUsage, MB)',
      columns: ['route', 'RSS', 'heap total', 'heap used', 'external', 'array buffers', 'RSS max during run'],
      rows: runs.map((r) => [r.name, r.memoryMB?.rss ?? '-', r.memoryMB?.heapTotal ?? '-', r.memoryMB?.heapUsed ?? '-', r.memoryMB?.external ?? '-', r.memoryMB?.arrayBuffers ?? '-', r.rssMaxMB]),
    };
    const slowest = commands.reduce((a, b) => (b.requestsPerSecond < a.requestsPerSecond ? b : a));
    const worstP99 = commands.reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a));
    const errors = commands.reduce((n, r) => n + r.non2xx + r.errors, 0);
    const table: Table = {
      title: `HTTP, ${connections} connections, ${perStep} requests per command (each its own target), health for ${healthSeconds} s before and after`,
      columns: ['route', 'req/s', 'vs health', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'RSS max MB', 'CPU us/req API', 'PG', 'client', 'catch-up s'],
      rows: runs.map((r) => [r.name, r.requestsPerSecond, ratio(r.requestsPerSecond, healthRate), r.p50Ms, r.p90Ms, r.p99Ms, r.maxMs, r.non2xx, r.errors, r.rssMaxMB, r.cpuUs.api, r.cpuUs.postgres, r.cpuUs.client, r.settleSeconds]),
    };
    const targets: Target[] = [
      { what: `commands/s (slowest: ${slowest.name})`, value: slowest.requestsPerSecond, unit: 'req/s', target: '>= 2,000/s', met: slowest.requestsPerSecond >= 2000 },
      { what: `command p99 (worst: ${worstP99.name})`, value: worstP99.p99Ms, unit: 'ms', target: '< 50 ms', met: worstP99.p99Ms < 50 },
      { what: 'non-2xx and socket errors', value: errors, unit: '', target: '0', met: errors === 0 },
      { what: 'API RSS under load (max)', value: rssMax, unit: 'MB', target: '< 300 MB', met: rssMax < 300 },
    ];
    const notes = [
      `Health baseline ${healthRate} req/s (mean of before and after); idle API RSS ${idleRss} MB before the load.`,
      `The API process runs ${[projections ? 'the projections' : '', jobs ? 'the job reactor and workers (Redis)' : ''].filter(Boolean).join(' and ') || 'neither projections nor jobs (diagnostic run)'} inline; autocannon runs in the benchmark process on the same cores, and PostgreSQL too.`,
      'CPU us/req: CPU time per request of the API process, of the PostgreSQL backends of the bench database, and of autocannon (from /proc and process.cpuUsage), metered until the projections have caught up after the run (catch-up s: how long that took after the last response): unlike rates, these do not depend on what else shares the machine. 2 cores allow at most 2,000,000 us of CPU per second in all.',
      ...commands.filter((r) => r.non2xx > 0).map((r) => `${r.name}: status codes ${JSON.stringify(r.statuses)}`),
    ];
    return { tables: [table, memory], figures: { connections, perStep, healthSeconds, jobs, projections, logLevel: env.LOG_LEVEL, healthRate, idleRssMB: idleRss, runs }, targets, notes };
  },
};

/** Removes the run's BullMQ keys (queue names start with the run's QUEUE_PREFIX). */
async function dropQueues(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } catch (error) {
    console.warn(`could not clean the run's Redis keys (${prefix}): ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
}
