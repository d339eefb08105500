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
}

/** Issues commands at `rate`/s for `seconds` (plus an unrecorded warm-up) and tracks their lag. */
async function phase(runtime: { projections: ProjectionRunner }, send: ReturnType<typeof commandSender>, rate: number, seconds: number, warmupSeconds: number): Promise<PhaseResult> {
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
      const due = Math.floor(((now - started) / 1000) * rate);
      while (issued < due && inFlight.size < 5000) issue(issued++);
    }, 2);
  });
  await Promise.all([...inFlight]);
  const unseen = await tracker.drain(30_000);
  const lag: Record<string, LatencySummary> = {};
  for (const name of names) lag[name] = summarize(tracker.lags.get(name)!);
  return {
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
  };
}

export const lagBenchmark: Benchmark = {
  name: 'lag',
  title: 'append -> visible in each read model under ~1,000 commands/s',
  async run(ctx: BenchContext): Promise<BenchOutput> {
    const rate = ctx.number('rate', { quick: 1000, full: 1000 });
    const seconds = ctx.number('duration', { quick: 10, full: 60 });
    const schema = freshSchema('lag');
    const app = await openInProcessApp(benchEnv(ctx.databaseUrl), schema, { runProjections: true });
    let idle: PhaseResult;
    let loaded: PhaseResult;
    try {
      await seedDemo(app.app, { partnership: PARTNERSHIP, now: new Date() });
      await app.runtime.projections.waitFor(await app.runtime.store.headPosition(), 30_000);
      const send = commandSender(app.app);
      idle = await phase(app.runtime, send, 20, 3, 0.5);
      console.log(`  baseline 20/s: visible everywhere p50 ${idle.everywhere.p50Ms} ms, p99 ${idle.everywhere.p99Ms} ms`);
      loaded = await phase(app.runtime, send, rate, seconds, 2);
      console.log(`  ${rate}/s: achieved ${loaded.achievedRate}/s, visible everywhere p50 ${loaded.everywhere.p50Ms} ms, p99 ${loaded.everywhere.p99Ms} ms, errors ${loaded.errors}`);
    } finally {
      await app.close();
      await dropSchema(ctx.databaseUrl, schema);
    }
    const names = Object.keys(loaded.lag);
    const table: Table = {
      title: `Projection lag, ms: command returned -> checkpoint at its position (${loaded.commands} commands over ${seconds} s at ${rate}/s; baseline ${idle.commands} at 20/s)`,
      columns: ['read model', 'p50', 'p99', 'max', 'baseline p50', 'baseline p99', 'p99 vs baseline'],
      rows: [
        ...names.map((name) => [name, loaded.lag[name]!.p50Ms, loaded.lag[name]!.p99Ms, loaded.lag[name]!.maxMs, idle.lag[name]!.p50Ms, idle.lag[name]!.p99Ms, ratio(loaded.lag[name]!.p99Ms, idle.lag[name]!.p99Ms)]),
        ['every read model', loaded.everywhere.p50Ms, loaded.everywhere.p99Ms, loaded.everywhere.maxMs, idle.everywhere.p50Ms, idle.everywhere.p99Ms, ratio(loaded.everywhere.p99Ms, idle.everywhere.p99Ms)],
      ],
    };
    const commands: Table = {
      title: 'Commands (in process, through the command bus)',
      columns: ['phase', 'target/s', 'achieved/s', 'p50 ms', 'p99 ms', 'errors'],
      rows: [
        ['baseline', 20, idle.achievedRate, idle.commandLatency.p50Ms, idle.commandLatency.p99Ms, idle.errors],
        ['load', rate, loaded.achievedRate, loaded.commandLatency.p50Ms, loaded.commandLatency.p99Ms, loaded.errors],
      ],
    };
    const worst = names.reduce((a, b) => (loaded.lag[b]!.p99Ms > loaded.lag[a]!.p99Ms ? b : a), names[0]!);
    const targets: Target[] = [
      {
        what: `projection lag p99 at ${loaded.achievedRate} commands/s (worst: ${worst})`,
        value: loaded.lag[worst]!.p99Ms,
        unit: 'ms',
        target: '< 100 ms',
        met: loaded.lag[worst]!.p99Ms < 100 && loaded.errors === 0,
      },
    ];
    const notes: string[] = [];
    if (loaded.errors > 0) notes.push(`${loaded.errors} commands failed, e.g. ${loaded.firstError}`);
    if (loaded.achievedRate < rate * 0.95) notes.push(`the command layer reached only ${loaded.achievedRate}/s of the ${rate}/s asked: the machine was saturated`);
    if (loaded.unseen > 0) notes.push(`${loaded.unseen} (command, projection) pairs were still not visible 30 s after the load`);
    return { tables: [table, commands], figures: { rate, seconds, baseline: idle, load: loaded }, targets, notes };
  },
};
