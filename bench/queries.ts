/**
 * `queries`: the read routes managers and officers use most, over the read models rebuilt from the
 * generated log (after `rebuild` in the same run, else the log is generated and rebuilt first):
 * requests through the real Nest/Fastify pipeline (Fastify inject: JWT, guards, validation,
 * logging, serialisation; no socket), round-robin, after a warm-up. Baseline: GET /health/live
 * through the same pipeline in the same loop.
 */
import type { DemoUser } from '../apps/api/src/seed/demo-users';
import type { Benchmark, BenchContext } from './support/context';
import type { BenchOutput, Table, Target } from './support/report';
import { CpuMeter, databaseOf } from './support/cpu';
import { ratio, summarize, type LatencySummary } from './support/stats';
import { ensureDataset } from './support/shared-dataset';

interface QuerySpec {
  name: string;
  /** The quality.md query this row measures (the target applies), or undefined for context rows. */
  target?: string;
  user: DemoUser;
  url: string;
}

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function querySpecs(now: number): QuerySpec[] {
  const lastYear = isoDate(now - 365 * DAY);
  const last90 = isoDate(now - 90 * DAY);
  return [
    { name: 'health (baseline)', user: 'manager', url: '/health/live' },
    { name: 'categories (baseline: JWT, guards, no SQL)', user: 'manager', url: '/v1/categories' },
    { name: 'hotspots', target: 'hotspots', user: 'manager', url: '/v1/hotspots' },
    { name: 'hotspots, last 90 days, one category', user: 'manager', url: `/v1/hotspots?from=${last90}&category=asb-youth` },
    { name: 'discharged actions, last 12 months', target: 'discharged actions', user: 'manager', url: `/v1/discharged-actions?from=${lastYear}` },
    { name: 'discharged action items, first page', user: 'manager', url: `/v1/discharged-actions/items?from=${lastYear}` },
    { name: 'tactical options', target: 'tactical options', user: 'manager', url: '/v1/tactical-options' },
    { name: 'tactical options, one category', user: 'manager', url: '/v1/tactical-options?problemCategory=asb-youth' },
    { name: 'work queue (officer, own agency)', target: 'work queue', user: 'councilOfficer', url: '/v1/actions' },
    { name: 'work queue, overdue (inspector, all agencies)', user: 'inspector', url: '/v1/actions?overdue=true' },
  ];
}

export const queriesBenchmark: Benchmark = {
  name: 'queries',
  title: 'read routes over the rebuilt read models',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const iterations = ctx.number('iterations', { quick: 200, full: 1000 });
    const dataset = await ensureDataset(ctx);
    const { app: inProcess } = dataset;
    if (!dataset.rebuilt) {
      console.log('  building the read models (rebuildAll, not measured here)...');
      await inProcess.runtime.projections.rebuildAll();
      dataset.rebuilt = true;
    }
    // As deployed by default (WORKER_MODE inline) the projection loops run in the API process, so
    // the read-your-writes interceptor knows their positions in memory; with the loops elsewhere
    // it reads projection_checkpoints on every request (see docs/performance.md).
    await inProcess.runtime.projections.start();
    const fastify = inProcess.app.getHttpAdapter().getInstance();
    const specs = querySpecs(Date.now());
    const tokens = new Map<DemoUser, string>();
    for (const spec of specs) if (!tokens.has(spec.user)) tokens.set(spec.user, await inProcess.token(spec.user));

    const latencies = new Map<string, number[]>(specs.map((s) => [s.name, []]));
    const failures = new Map<string, { count: number; status: number; body: string }>();
    const bytes = new Map<string, number>();
    const once = async (spec: QuerySpec): Promise<number> => {
      const t = performance.now();
      const response = await fastify.inject({ method: 'GET', url: spec.url, headers: { authorization: `Bearer ${tokens.get(spec.user)}` } });
      const elapsed = performance.now() - t;
      if (response.statusCode !== 200) {
        const failure = failures.get(spec.name) ?? { count: 0, status: response.statusCode, body: response.body.slice(0, 300) };
        failure.count += 1;
        failures.set(spec.name, failure);
      } else {
        bytes.set(spec.name, response.body.length);
      }
      return elapsed;
    };
    for (let i = 0; i < 20; i += 1) for (const spec of specs) await once(spec);
    // The first rounds right after the rebuild (the rebuild analyses the tables it swaps in, so the
    // planner has statistics from the start; before it did, these were up to 17x slower).
    const fresh = new Map<string, number[]>(specs.map((s) => [s.name, []]));
    for (let i = 0; i < Math.min(50, iterations); i += 1) {
      for (const spec of specs) fresh.get(spec.name)!.push(await once(spec));
    }
    for (let i = 0; i < iterations; i += 1) {
      for (const spec of specs) latencies.get(spec.name)!.push(await once(spec));
    }
    const freshSummaries = new Map<string, LatencySummary>(specs.map((s) => [s.name, summarize(fresh.get(s.name)!)]));
    // CPU per request, one query at a time (this process: Nest, TypeORM, serialisation; and the
    // PostgreSQL backends): unlike latencies, not moved by what else runs on the machine.
    const cpuUs = new Map<string, { node: number; postgres: number }>();
    const database = databaseOf(ctx.databaseUrl);
    const cpuRounds = Math.max(20, Math.floor(iterations / 4));
    for (const spec of specs) {
      const meter = new CpuMeter(database);
      for (let i = 0; i < cpuRounds; i += 1) await once(spec);
      const cpu = meter.read();
      cpuUs.set(spec.name, { node: Math.round((cpu.selfMs * 1000) / cpuRounds), postgres: Math.round((cpu.postgresMs * 1000) / cpuRounds) });
    }

    const summaries = new Map<string, LatencySummary>(specs.map((s) => [s.name, summarize(latencies.get(s.name)!)]));
    const health = summaries.get(specs[0]!.name)!;
    const table: Table = {
      title: `Queries over ${dataset.log.events} events (${dataset.log.problems} problems, ${dataset.log.actions} actions): ${iterations} requests each, round-robin`,
      columns: ['query', 'p50 ms', 'p95 ms', 'p99 ms', 'p95 vs health', 'p95 first 50 rounds', 'CPU us/req Node', 'PG', 'bytes', 'errors'],
      rows: specs.map((spec) => {
        const s = summaries.get(spec.name)!;
        const failure = failures.get(spec.name);
        return [spec.name, s.p50Ms, s.p95Ms, s.p99Ms, ratio(s.p95Ms, health.p95Ms), freshSummaries.get(spec.name)!.p95Ms, cpuUs.get(spec.name)!.node, cpuUs.get(spec.name)!.postgres, bytes.get(spec.name) ?? '-', failure ? `${failure.count} x ${failure.status}` : 0];
      }),
    };
    const targets: Target[] = specs
      .filter((spec) => spec.target)
      .map((spec) => {
        const s = summaries.get(spec.name)!;
        const failure = failures.get(spec.name);
        return failure
          ? { what: `${spec.target} p95`, value: null, unit: 'ms', target: '< 20 ms', met: null, note: `HTTP ${failure.status}: ${failure.body}` }
          : { what: `${spec.target} p95`, value: s.p95Ms, unit: 'ms', target: '< 20 ms', met: s.p95Ms < 20 };
      });
    return {
      tables: [table],
      figures: {
        iterations,
        events: dataset.log.events,
        problems: dataset.log.problems,
        actions: dataset.log.actions,
        queries: specs.map((spec) => ({ ...spec, latency: summaries.get(spec.name), rightAfterRebuild: freshSummaries.get(spec.name), cpuUs: cpuUs.get(spec.name), bytes: bytes.get(spec.name), failure: failures.get(spec.name) })),
      },
      targets,
      notes: [
        `"p95 first 50 rounds": the first ${Math.min(50, iterations)} rounds right after the rebuild, which analyses the tables it swaps in.`,
        ...[...failures.entries()].map(([name, f]) => `${name}: ${f.count} non-200 answers, e.g. HTTP ${f.status} ${f.body}`),
      ],
    };
  },
};
