/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package, and
 * inclusive time of the functions that matter. Use:
 *
 *   node bench/run.js --profile-summary <file.cpuprofile> [--top 30] [--match text]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<pkg>, libs/<lib>, apps/<app>, bench, node internals, or (program)/(gc)/(idle). */
export function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const compiled = /tasking-ledger-bench\/[^/]+\/(libs|apps)\/([^/]+)\//.exec(url);
  if (compiled) return `${compiled[1]}/${compiled[2]}`;
  if (url.includes('tasking-ledger-bench/')) return 'bench';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const lib = /\/(libs|apps)\/([^/]+)\//.exec(url);
  if (lib) return `${lib[1]}/${lib[2]}`;
  if (url.startsWith('node:')) return 'node:internal';
  if (url.includes('/bench/')) return 'bench';
  return url;
}

/** A coarse component for a frame: what a reader of docs/performance.md asks about. */
export function categoryOf(url: string, name: string): string {
  const pkg = packageOf(url, name);
  if (pkg === '(idle)') return 'idle (waiting for I/O)';
  if (pkg === '(garbage collector)') return 'garbage collection';
  if (/^(writev|writeBuffer|writeString|writeUtf8String|writeLatin1String)$/.test(name) && !url) return 'socket writes (syscalls; on a busy machine also time waiting for the CPU back)';
  if (/^(pino|pino-http|pino-std-serializers|sonic-boom|nestjs-pino|@pinojs\/.*)$/.test(pkg)) return 'request logging (pino)';
  if (/^(pg|pg-protocol|pg-pool|pg-types|postgres-.*|pg-int8|packet-reader)$/.test(pkg)) return 'PostgreSQL driver (pg)';
  if (/^(typeorm)$/.test(pkg)) return 'TypeORM';
  if (/^(class-validator|class-transformer|validator|libphonenumber-js)$/.test(pkg)) return 'body validation (class-validator)';
  if (/^(jose)$/.test(pkg) || url.includes('node:internal/crypto/util') || url.includes('webcrypto')) return 'JWT verification (jose, WebCrypto)';
  if (url.includes('/personal-data/') || url.includes('node:internal/crypto/cipher') || url.includes('node:internal/crypto/random') || url.includes('node:internal/crypto/keys')) return 'personal-data encryption';
  if (/^(fastify|@fastify\/.*|find-my-way|light-my-request|avvio|secure-json-parse|fast-json-stringify|toad-cache|@nestjs\/.*|rxjs|reflect-metadata|iterare|path-to-regexp)$/.test(pkg)) return 'HTTP framework (Nest, Fastify)';
  if (/^(bullmq|ioredis|redis-parser|msgpackr|cron-parser)$/.test(pkg)) return 'job queues (BullMQ, Redis)';
  if (/^(prom-client)$/.test(pkg)) return 'metrics (prom-client)';
  if (pkg === 'libs/projections' || url.includes('/projections/')) return 'projections';
  if (pkg === 'libs/event-store') return 'event store';
  if (pkg.startsWith('libs/') || pkg.startsWith('apps/')) return `application code (${pkg})`;
  if (pkg === 'node:internal') return 'Node internals (streams, timers, async hooks, modules)';
  if (pkg === '(native)') return 'other native (JSON, Buffer, syscalls)';
  return pkg;
}

export function summariseProfile(file: string, top = 30, match?: string): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const byCategory = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${short(url)}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const category = categoryOf(url, functionName);
    byCategory.set(category, (byCategory.get(category) ?? 0) + us);
    // Inclusive time per function (counted once per stack).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const k = `${frame.functionName || '(anonymous)'} ${short(frame.url)}:${frame.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const lines: string[] = [`${file}: ${(total / 1e6).toFixed(1)} s sampled`];
  lines.push('\nSelf time by component:');
  for (const [category, us] of [...byCategory].sort((a, b) => b[1] - a[1])) lines.push(`${pct(us)}  ${category}`);
  lines.push('\nSelf time by package:');
  for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)}  ${pkg}`);
  lines.push('\nSelf time by function:');
  for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)}  ${fn}`);
  lines.push(`\nInclusive time${match ? ` (functions matching "${match}")` : ' (repository code)'}:`);
  const wanted = ([key]: [string, number]) => (match ? key.includes(match) : /(libs|apps)\//.test(key));
  for (const [fn, us] of [...inclusive].filter(wanted).sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)}  ${fn}`);
  if (match) {
    // Who calls the matching functions: the nearest repository frame above each matching sample.
    const callers = new Map<string, number>();
    for (const [id, us] of selfUs) {
      let hit = false;
      const chain: string[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)!.callFrame;
        const k = `${frame.functionName || '(anonymous)'} ${short(frame.url)}:${frame.lineNumber + 1}`;
        if (k.includes(match)) hit = true;
        else if (hit && /(libs|apps|node_modules)\//.test(k)) chain.push(k);
        if (chain.length >= 3) break;
      }
      if (hit && chain.length) callers.set(chain.join(' < '), (callers.get(chain.join(' < ')) ?? 0) + us);
    }
    lines.push(`\nCallers of "${match}" (three frames up):`);
    for (const [chain, us] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)}  ${chain}`);
  }
  return lines.join('\n');
}

const short = (url: string) =>
  url.replace(/^file:\/\//, '').replace(/^.*tasking-ledger-bench\/[^/]+\//, '').replace(/^.*\/(node_modules|libs|apps|bench)\//, '$1/');
