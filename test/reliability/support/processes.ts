import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const REGISTER = join(__dirname, 'swc-register.js');

/**
 * How the entry points are started: from the TypeScript sources through SWC (default: what is in
 * the tree now, no build needed), or with RELIABILITY_ENTRY=dist from `npm run build`'s output,
 * exactly as deployments run them (`node dist/apps/worker/src/main.js`).
 */
export function entryCommand(entry: 'api' | 'worker'): string[] {
  if (process.env.RELIABILITY_ENTRY === 'dist') {
    const built = join(ROOT, 'dist', 'apps', entry, 'src', 'main.js');
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
    return [built];
  }
  return ['-r', REGISTER, join(ROOT, 'apps', entry, 'src', 'main.ts')];
}

export interface Running {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** Resolves once a stdout or stderr line matches, rejects after `timeoutMs` or when the process ends first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts an entry point with exactly this environment (plus PATH and HOME): nothing leaks in from
 * the test's own environment, so what it reads is what the test gave it.
 */
export function startEntry(entry: 'api' | 'worker', env: Record<string, string>): Running {
  const child = spawn(process.execPath, entryCommand(entry), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const listeners = new Set<() => void>();
  const collect = (into: string[]) => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      into.push(...lines);
      for (const listener of listeners) listener();
    };
  };
  child.stdout!.on('data', collect(stdout));
  child.stderr!.on('data', collect(stderr));
  const exited = new Promise<number | string>((done) => child.once('exit', (code, signal) => done(code ?? signal ?? 'unknown')));
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const listener of listeners) listener();
  });
  return {
    child,
    stdout,
    stderr,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise<string>((resolvePromise, reject) => {
        const check = () => {
          const line = [...stdout, ...stderr].find((l) => pattern.test(l));
          if (line !== undefined) {
            finish();
            resolvePromise(line);
          } else if (ended) {
            finish();
            reject(new Error(`${entry} ended before printing ${pattern}:\n${[...stdout, ...stderr].join('\n')}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`${entry} did not print ${pattern} within ${timeoutMs} ms:\n${[...stdout, ...stderr].join('\n')}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs an entry point to its end (bounded), for the start-up refusals. */
export async function runEntry(entry: 'api' | 'worker', env: Record<string, string>, timeoutMs = 60_000) {
  const running = startEntry(entry, env);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), timeoutMs);
  const code = await running.exited;
  clearTimeout(timer);
  // The streams may still hold the last lines.
  await new Promise((r) => setImmediate(r));
  return { code, stdout: running.stdout.filter((l) => l.trim() !== ''), stderr: running.stderr.filter((l) => l.trim() !== '') };
}
