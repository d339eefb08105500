import type { BenchOutput } from './report';

/** Command-line options: `npm run bench -- [name...] [--full] [--seconds N] [--rounds N] [--cpu-prof] ...`. */
export interface Options {
  names: string[];
  /** Full sizes (1,000,000 events, longer slices); default sizes finish in a few minutes. */
  full: boolean;
  /** Every `--key value` given, for benchmark-specific overrides. */
  values: Record<string, string>;
  flags: Set<string>;
}

export function parseOptions(argv: readonly string[]): Options {
  const names: string[] = [];
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      if (inline !== undefined) values[key] = inline;
      else if (VALUE_KEYS.has(key) && argv[i + 1] !== undefined) values[key] = argv[(i += 1)]!;
      else flags.add(key);
    } else {
      names.push(arg);
    }
  }
  return { names, full: flags.has('full'), values, flags };
}

/** Options that take a value (`--seconds 2` or `--seconds=2`); any other `--x` is a flag. */
const VALUE_KEYS = new Set(['seconds', 'rounds', 'writers', 'events', 'rate', 'connections', 'requests', 'iterations', 'duration', 'top', 'match', 'workload', 'idle-wait-ms', 'log-level', 'rows']);

export interface BenchContext {
  databaseUrl: string;
  options: Options;
  /** A number option, or the default for the chosen size. */
  number(key: string, defaults: { quick: number; full: number }): number;
  /** A comma-separated list of numbers, or the default. */
  list(key: string, fallback: number[]): number[];
  /** State shared by benchmarks of one run (the generated data set of rebuild and queries). */
  shared: Map<string, unknown>;
  /** Run at the end of the whole run (after every benchmark), last registered first. */
  onExit(cleanup: () => Promise<void>): void;
}

export interface Benchmark {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchOutput>;
}
