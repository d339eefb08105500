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
}

/**
 * Closed loop: `writers` loops each run their op back to back for `seconds` (after `warmup` ops
 * each, which prepare statements and open pooled sessions). Latency is per op, retries included.
 * (After bench/append-quick.ts by the store's author.)
 */
export async function runWriters(writers: number, seconds: number, makeOp: (writer: number) => WriterOp, warmup = 3): Promise<SliceResult> {
  const ops = Array.from({ length: writers }, (_, writer) => makeOp(writer));
  await Promise.all(ops.map(async (op) => {
    for (let i = 0; i < warmup; i += 1) await op();
  }));
  const latencies: number[] = [];
  let events = 0;
  let conflicts = 0;
  const started = performance.now();
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
  return {
    writers,
    ops: latencies.length,
    events,
    conflicts,
    seconds: Math.round(elapsed * 100) / 100,
    eventsPerSecond: Math.round(events / elapsed),
    latency: summarize(latencies),
  };
}

/** Round r runs the systems in order rotated by r (A B C, B C A, C A B, ...): drift hits each alike. */
export function rotated<T>(items: readonly T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
