import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { DEMO_SIGN_IN } from '../../apps/api/src/seed/demo-users';
import { startEntry, type Running } from './support/processes';

/**
 * The embedded quick start as `npm start` runs it (apps/api/src/main.ts in a child process, no
 * DATABASE_URL, no AUTH_*): one process per data folder, a lock left by a killed process does not
 * block the restart, the printed development tokens carry exp, and production serves none.
 */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('the embedded data folder (entry point as a child process)', () => {
  let dataDir: string;
  const running: Running[] = [];
  const base = () => ({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    RATE_LIMIT_PER_IP_PER_MINUTE: '0',
    QUEUE_PREFIX: `folder${randomBytes(3).toString('hex')}`,
  });
  const start = (env: Record<string, string>) => {
    const api = startEntry('api', env);
    running.push(api);
    return api;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tl-folder-'));
  });
  afterAll(async () => {
    for (const api of running) await api.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a second API on the folder refuses in one line naming the first; after the first is killed, a restart starts', async () => {
    const port = await freePort();
    const first = start({ ...base(), PORT: String(port) });
    await first.waitFor(/^Tasking Ledger is up on /, 240_000);

    // The quick start's printed tokens (one per demo user, after the URL) carry exp, 12 hours after iat.
    const tokenLine = new RegExp(`^\\s+${DEMO_SIGN_IN.at(-1)!.label.replace(/[()]/g, '\\$&')}\\s+eyJ`);
    await first.waitFor(tokenLine);
    const printed = first.stdout.map((line) => /\s(eyJ[\w-]+\.[\w-]+\.[\w-]+)$/.exec(line)?.[1]).filter((t): t is string => t !== undefined);
    expect(printed).toHaveLength(DEMO_SIGN_IN.length);
    for (const token of printed) {
      const { iat, exp } = decodeJwt(token);
      expect(typeof exp === 'number' && typeof iat === 'number' ? exp - iat : undefined).toBe(12 * 3600);
    }

    const second = start({ ...base(), PORT: String(await freePort()) });
    const started = second.waitFor(/^Tasking Ledger is up on /, 240_000).then(
      () => 'started as well',
      () => 'ended',
    );
    expect(await Promise.race([second.exited, started])).toBe(4);
    expect(second.stdout.filter((l) => l.trim() !== '')).toEqual([]);
    expect(second.stderr.filter((l) => l.trim() !== '')).toEqual([
      expect.stringMatching(new RegExp(`^DATA_DIR \\S+ is in use by process ${first.child.pid} on ${hostname()} \\(since [^)]+\\): stop it first`)),
    ]);
    // The first kept running and answering.
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);

    expect(await first.kill('SIGKILL')).toBe('SIGKILL');
    const restart = start({ ...base(), PORT: String(await freePort()), NODE_ENV: 'production' });
    const up = await restart.waitFor(/^Tasking Ledger is up on /, 240_000);
    const url = /up on (\S+)/.exec(up)![1]!;
    // Production: no development tokens printed or served, whatever the store.
    expect(restart.stdout.join('\n')).not.toMatch(/Development tokens|eyJ/);
    const tokens = await fetch(`${url}/v1/dev/tokens`);
    expect(tokens.status).toBe(404);
    expect(await restart.kill('SIGTERM')).toBe(0);
  }, 600_000);
});
