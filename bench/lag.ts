/**
 * `lag`: how long after a command's append each read model shows it, under a steady ~1,000
 * commands/s (open loop: commands are issued on schedule whether or not earlier ones finished).
 * The real runtime and app run in this process with the projections live (WORKER_MODE inline,
 * as deployed by default); commands go through the command bus (raise -> assign -> claim ->
 * discharge chains). For each command and each projection, lag = the moment the runner reports
 * the projection's checkpoint at or past the command's position (ProjectionRunner.waitFor /
 * positionOf, in memory: no polling) minus the moment the command returned (its append had
 * committed). Baseline in the same run: the same measurement at 20 commands/s.
 */
import type { Position } from '@tasking/event-store';
import { seedDemo } from '../apps/api/src/seed/demo-seed';
import type { Benchmark, BenchContext } from './support/context';
import { PARTNERSHIP, benchEnv, openInProcessApp } from './support/app';
import { dropSchema, freshSchema } from './support/database';
import type { BenchOutput, Table, Target } from './support/report';
import { CpuMeter, databaseOf } from './support/cpu';
import { ratio, summarize, type LatencySummary } from './support/stats';
import { STEPS, commandSender, type Step } from './support/workflow';
import type { ProjectionRunner } from '@tasking/projections';

interface Pending {
  position: Position;
  completedAt: number;
}

/** Records, per projection, when each appended position became visible. */
class LagTracker {
  private readonly pending = new Map<string, Pending[]>();
  private readonly wake = new Map<string, () => void>();
  readonly lags = new Map<string, number[]>();
  /** Per command: when it became visible in every projection. */
  private readonly everywhere = new Map<Pending, number>();
  readonly allLags: number[] = [];
  private stopped = false;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly names: readonly string[],
  ) {
    for (const name of names) {
      this.pending.set(name, []);
      this.lags.set(name, []);
    }
    this.loops = names.map((name) => this.follow(name));
  }

  add(position: Position, completedAt: number): void {
    const item: Pending = { position, completedAt };
    this.everywhere.set(item, 0);
    for (const name of this.names) {
      this.pending.get(name)!.push(item);
      this.wake.get(name)?.();
    }
  }

  /** Waits until everything added so far is visible (or the timeout), then stops following. */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while ([...this.pending.values()].some((p) => p.length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const left = [...this.pending.values()].reduce((n, p) => n + p.length, 0);
    this.stopped = true;
    for (const wake of this.wake.values()) wake();
    await Promise.all(this.loops);
    return left;
  }

  private async follow(name: string): Promise<void> {
    const pending = this.pending.get(name)!;
    while (!this.stopped) {
      if (pending.length === 0) {
        await new Promise<void>((resolve) => this.wake.set(name, resolve));
        this.wake.delete(name);
        continue;
      }
      let lowest = pending[0]!.position;
      for (const p of pending) if (p.position < lowest) lowest = p.position;
      if (!(await this.runner.waitFor(lowest, 1000, [name]))) continue;
      const now = performance.now();
      const at = await this.runner.positionOf([name]);
      const lags = this.lags.get(name)!;
      let kept = 0;
      for (const item of pending) {
        if (item.position <= at) {
          lags.push(now - item.completedAt);
          const seen = this.everywhere.get(item)! + 1;
          if (seen === this.names.length) {
            this.allLags.push(now - item.completedAt);
            this.everywhere.delete(item);
          } else {
            this.everywhere.set(item, seen);
          }
        } else {
          pending[kept++] = item;
        }
      }
      pending.length = kept;
    }
  }
}

interface PhaseResult {
  name: string;
  rate: number;
  seconds: number;
  commands: number;
  achievedRate: number;
  errors: number;
  firstError?: string;
  commandLatency: LatencySummary;
  lag: Record<string, LatencySummary>;
  everywhere: LatencySummary;
  unseen: number;
  /** CPU per command (µs): this process (commands and projections) and the PostgreSQL backends. */
  cpuUs: { node: number; postgres: number };
}

/** Issues commands at `rate`/s for `seconds` (plus an unrecorded warm-up) and tracks their lag. */
async function phase(
  name: string,
  runtime: { projections: ProjectionRunner },
  send: ReturnType<typeof commandSender>,
  rate: number,
  seconds: number,
  warmupSeconds: number,
  database: string,
): Promise<PhaseResult> {
  const names = runtime.projections.names;
  const tracker = new LagTracker(runtime.projections, names);
  const problems: string[] = [];
  const toClaim: string[] = [];
  const toDischarge: string[] = [];
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let issued = 0;
  let recordedCommands = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let meter: CpuMeter | undefined;
  let metered = 0;
  const recordFrom = started + warmupSeconds * 1000;
  const end = recordFrom + seconds * 1000;

  const issue = (slot: number) => {
    let step: Step = STEPS[slot % STEPS.length]!;
    if (step === 'assign' && problems.length === 0) step = 'raise';
    if (step === 'claim' && toClaim.length === 0) step = 'raise';
    if (step === 'discharge' && toDischarge.length === 0) step = 'raise';
    const t0 = performance.now();
    const record = t0 >= recordFrom;
    const run = async () => {
      try {
        let result;
        switch (step) {
          case 'raise':
            result = await send.raise();
            problems.push(result.id);
            break;
          case 'assign':
            result = await send.assign(problems.shift()!);
            toClaim.push(result.id);
            break;
          case 'claim': {
            const id = toClaim.shift()!;
            result = await send.claim(id);
            toDischarge.push(id);
            break;
          }
          case 'discharge':
            result = await send.discharge(toDischarge.shift()!);
            break;
        }
        const done = performance.now();
        if (record) {
          latencies.push(done - t0);
          recordedCommands += 1;
          tracker.add(result.position, done);
        }
      } catch (error) {
        errors += 1;
        firstError ??= `${step}: ${(error as Error).message}`;
      }
    };
    const p = run().finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (now >= end) {
        clearInterval(timer);
        resolve();
        return;
      }
      if (!meter && now >= recordFrom) meter = new CpuMeter(database);
      const due = Math.floor(((now - started) / 1000) * rate);
      while (issued < due && inFlight.size < 5000) issue(issued++);
    }, 2);
  });
  await Promise.all([...inFlight]);
  const unseen = await tracker.drain(30_000);
  const cpu = meter?.read();
  metered = recordedCommands;
  const lag: Record<string, LatencySummary> = {};
  for (const name of names) lag[name] = summarize(tracker.lags.get(name)!);
  return {
    name,
    rate,
    seconds,
    commands: recordedCommands,
    achievedRate: Math.round(recordedCommands / seconds),
    errors,
    firstError,
    commandLatency: summarize(latencies),
    lag,
    everywhere: summarize(tracker.allLags),
    unseen,
    cpuUs: { node: cpu ? Math.round((cpu.selfMs * 1000) / Math.max(1, metered)) : NaN, postgres: cpu ? Math.round((cpu.postgresMs * 1000) / Math.max(1, metered)) : NaN },
  };
}

/** Closed loop: `workers` chains of raise -> assign -> claim -> discharge back to back; commands/s. */
async function capacity(send: ReturnType<typeof commandSender>, workers: number, seconds: number): Promise<number> {
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        const problem = await send.raise();
        const action = await send.assign(problem.id);
        await send.claim(action.id);
        await send.discharge(action.id);
        done += 4;
      }
    }),
  );
  return Math.round(done / seconds);
}

export const lagBenchmark: Benchmark = {
  name: 'lag',
  title: 'append -> visible in each read model under ~1,000 commands/s',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const rate = ctx.number('rate', { quick: 1000, full: 1000 });
    const seconds = ctx.number('duration', { quick: 10, full: 60 });
    const database = databaseOf(ctx.databaseUrl);
    const schema = freshSchema('lag');
    // Diagnostic: --idle-wait-ms N sets the runner's safety poll (default 1000 ms).
    const idleWaitMs = ctx.options.values['idle-wait-ms'] === undefined ? undefined : Number(ctx.options.values['idle-wait-ms']);
    const app = await openInProcessApp(benchEnv(ctx.databaseUrl), schema, {
      runProjections: true,
      ...(idleWaitMs === undefined ? {} : { projectionOptions: { idleWaitMs, logger: { warn: () => undefined, error: (m: string) => console.error(m) } } }),
    });
    const phases: PhaseResult[] = [];
    let closedLoop = NaN;
    try {
      await seedDemo(app.app, { partnership: PARTNERSHIP, now: new Date(), evidence: false });
      await app.runtime.projections.waitFor(await app.runtime.store.headPosition(), 30_000);
      const send = commandSender(app.app);
      const report = (p: PhaseResult) =>
        console.log(`  ${p.name}: ${p.achievedRate}/s of ${p.rate}/s asked, visible everywhere p50 ${p.everywhere.p50Ms} ms, p99 ${p.everywhere.p99Ms} ms, max ${p.everywhere.maxMs} ms; command p99 ${p.commandLatency.p99Ms} ms; errors ${p.errors}`);
      phases.push(await phase('baseline', app.runtime, send, 20, 3, 0.5, database));
      report(phases[0]!);
      closedLoop = await capacity(send, 64, 3);
      await app.runtime.projections.waitFor(await app.runtime.store.headPosition(), 60_000);
      console.log(`  capacity (closed loop, 64 chains, projections live): ${closedLoop} commands/s`);
      phases.push(await phase('load', app.runtime, send, rate, seconds, 2, database));
      report(phases[1]!);
      if (closedLoop < rate) {
        // The machine cannot take the asked rate: also show the lag when it is not saturated.
        const sustainable = Math.max(50, Math.round(closedLoop * 0.6));
        phases.push(await phase('60% of capacity', app.runtime, send, sustainable, Math.max(5, seconds / 2), 1, database));
        report(phases[2]!);
      }
    } finally {
      await app.close();
      await dropSchema(ctx.databaseUrl, schema);
    }
    const [idle, loaded] = phases as [PhaseResult, PhaseResult];
    const names = Object.keys(loaded.lag);
    const lagTable = (p: PhaseResult): Table => ({
      title: `Projection lag, ms, at ${p.achievedRate} commands/s (${p.name}; ${p.rate}/s asked; ${p.commands} commands over ${p.seconds} s): command returned -> checkpoint at its position`,
      columns: ['read model', 'p50', 'p99', 'max', 'baseline p50', 'baseline p99', 'p99 vs baseline'],
      rows: [
        ...names.map((name) => [name, p.lag[name]!.p50Ms, p.lag[name]!.p99Ms, p.lag[name]!.maxMs, idle.lag[name]!.p50Ms, idle.lag[name]!.p99Ms, ratio(p.lag[name]!.p99Ms, idle.lag[name]!.p99Ms)]),
        ['every read model', p.everywhere.p50Ms, p.everywhere.p99Ms, p.everywhere.maxMs, idle.everywhere.p50Ms, idle.everywhere.p99Ms, ratio(p.everywhere.p99Ms, idle.everywhere.p99Ms)],
      ],
    });
    const commands: Table = {
      title: `Commands (in process, through the command bus; closed-loop capacity ${closedLoop}/s)`,
      columns: ['phase', 'asked/s', 'achieved/s', 'p50 ms', 'p99 ms', 'errors', 'CPU us/cmd Node', 'CPU us/cmd PG'],
      rows: phases.map((p) => [p.name, p.rate, p.achievedRate, p.commandLatency.p50Ms, p.commandLatency.p99Ms, p.errors, p.cpuUs.node, p.cpuUs.postgres]),
    };
    const worst = names.reduce((a, b) => (loaded.lag[b]!.p99Ms > loaded.lag[a]!.p99Ms ? b : a), names[0]!);
    const targets: Target[] = [
      {
        what: `projection lag p99 at ${loaded.achievedRate} commands/s (worst: ${worst})`,
        value: loaded.lag[worst]!.p99Ms,
        unit: 'ms',
        target: '< 100 ms',
        met: loaded.lag[worst]!.p99Ms < 100 && loaded.errors === 0 && loaded.achievedRate >= rate * 0.95,
      },
    ];
    const notes: string[] = [
      'CPU us/cmd: CPU time per command of this process (command handling and the projections, which run here) and of the PostgreSQL backends of the bench database.',
    ];
    for (const p of phases) {
      if (p.errors > 0) notes.push(`${p.name}: ${p.errors} commands failed, e.g. ${p.firstError}`);
      if (p.unseen > 0) notes.push(`${p.name}: ${p.unseen} (command, projection) pairs were still not visible 30 s after the load`);
    }
    if (loaded.achievedRate < rate * 0.95) notes.push(`only ${loaded.achievedRate}/s of the ${rate}/s asked were issued and answered: the machine was saturated, and the lag above is mostly queueing`);
    return { tables: phases.slice(1).map(lagTable).concat([commands]), figures: { rate, seconds, capacity: closedLoop, idleWaitMs: idleWaitMs ?? 'default', phases }, targets, notes };
  },
};
