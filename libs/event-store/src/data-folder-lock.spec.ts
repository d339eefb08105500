import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFolderLockedError, LOCK_NAME, lockDataFolder } from './data-folder-lock';

const failOnLost = (error: Error) => {
  throw error;
};

/** A lock as a holder leaves it: the directory (fresh mtime) and the owner file beside it. */
async function leaveLock(folder: string, pid: number, host = hostname()): Promise<void> {
  await mkdir(join(folder, LOCK_NAME));
  await writeFile(join(folder, `${LOCK_NAME}.owner`), JSON.stringify({ pid, host, since: '2026-01-01T00:00:00.000Z' }));
}

/** A pid that ran and has ended. */
async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((done) => child.once('exit', done));
  return child.pid!;
}

describe('the data folder lock', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tl-lock-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('lets one holder in, refuses a second naming the first (this process), and lets the next in once released', async () => {
    const first = await lockDataFolder(folder, failOnLost);
    const refused = await lockDataFolder(folder, failOnLost).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataFolderLockedError);
    expect((refused as Error).message).toBe(
      `DATA_DIR ${folder} is in use by process ${process.pid} on ${hostname()} (since ${(refused as DataFolderLockedError).owner!.since}): stop it first, or give this process another DATA_DIR`,
    );
    await first.release();
    const next = await lockDataFolder(folder, failOnLost);
    await next.release();
  });

  it('refuses while the holder on this host still runs', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await leaveLock(folder, sleeper.pid!);
      await expect(lockDataFolder(folder, failOnLost)).rejects.toMatchObject({ name: 'DataFolderLockedError', owner: { pid: sleeper.pid } });
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('takes over at once a lock whose holder on this host has ended (killed, crashed)', async () => {
    await leaveLock(folder, await endedPid());
    const lock = await lockDataFolder(folder, failOnLost);
    await lock.release();
  });

  it('refuses a fresh lock held from another host, whose process it cannot see', async () => {
    await leaveLock(folder, await endedPid(), 'another-host');
    await expect(lockDataFolder(folder, failOnLost)).rejects.toMatchObject({ name: 'DataFolderLockedError', owner: { host: 'another-host' } });
  });
});
