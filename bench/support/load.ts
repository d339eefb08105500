import { CpuMeter } from './cpu';
import { summarize, type LatencySummary } from './stats';

/** One operation of a writer: how many events it stored, and how many conflicts it met first. */
export type WriterOp = () => Promise<{ events: number; conflicts?: number }>;

export interface SliceResult {
  writers: number;
  ops: number;
  events: number;
  conflicts: number;
  seconds: number;
  eventsPerSecond: number;
  latency: LatencySummary;
  /** CPU time of this Node process (user + system) per event: the client's share; the server's is not in it. */
  nodeCpuUsPerEvent: number;
  /** CPU time of the PostgreSQL backends of the bench database per event (NaN without /proc). */
  postgresCpuUsPerEvent: number;
}

/**
 * Closed loop: `writers` loops each run their op back to back for `seconds` (after `warmup` ops
 * each, which prepare statements and open pooled sessions). Latency is per op, retries included.
 * (After bench/append-quick.ts by the store's author, Node CPU per operation included.)
 */
export async function runWriters(
  writers: number,
  seconds: number,
  makeOp: (writer: number) => WriterOp,
  options: { warmup?: number; database?: string } = {},
): Promise<SliceResult> {
  const warmup = options.warmup ?? 3;
  const ops = Array.from({ length: writers }, (_, writer) => makeOp(writer));
  await Promise.all(ops.map(async (op) => {
    for (let i = 0; i < warmup; i += 1) await op();
  }));
  const latencies: number[] = [];
  let events = 0;
  let conflicts = 0;
  const started = performance.now();
  const meter = new CpuMeter(options.database ?? '');
  const deadline = started + seconds * 1000;
  await Promise.all(
    ops.map(async (op) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const done = await op();
        latencies.push(performance.now() - t);
        events += done.events;
        conflicts += done.conflicts ?? 0;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = meter.read();
  const perEvent = (ms: number) => (events > 0 && options.database ? Math.round(((ms * 1000) / events) * 10) / 10 : NaN);
  return {
    writers,
    ops: latencies.length,
    events,
    conflicts,
    seconds: Math.round(elapsed * 100) / 100,
    eventsPerSecond: Math.round(events / elapsed),
    latency: summarize(latencies),
    nodeCpuUsPerEvent: events > 0 ? Math.round(((cpu.selfMs * 1000) / events) * 10) / 10 : NaN,
    postgresCpuUsPerEvent: perEvent(cpu.postgresMs),
  };
}

/** Round r runs the systems in order rotated by r (A B C, B C A, C A B, ...): drift hits each alike. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
