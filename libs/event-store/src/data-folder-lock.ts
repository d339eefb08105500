import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * One process per embedded data folder: PGlite has no lock of its own, and two processes on one
 * folder silently lose acknowledged writes and corrupt the store. The lock is a directory made
 * atomically (proper-lockfile) whose mtime the holder refreshes; beside it, who holds it.
 *
 * A lock left by a process that is gone (killed, crashed) does not block a restart: on this host
 * a holder whose pid no longer runs is stale at once; otherwise (another host sharing the folder,
 * or a pid reused by an unrelated process) the lock is stale once not refreshed for STALE_MS.
 */
export const LOCK_NAME = 'tasking-ledger.lock';
const OWNER_NAME = 'tasking-ledger.lock.owner';
const STALE_MS = 30_000;
const UPDATE_MS = 5_000;

interface Owner {
  pid: number;
  host: string;
  since: string;
}

export class DataFolderLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: Owner | undefined,
  ) {
    super(
      owner
        ? `DATA_DIR ${dataDir} is in use by process ${owner.pid} on ${owner.host} (since ${owner.since}): stop it first, or give this process another DATA_DIR`
        : `DATA_DIR ${dataDir} is in use by another process: stop it first, or give this process another DATA_DIR`,
    );
    this.name = 'DataFolderLockedError';
  }
}

/** Folders this process holds: its own pid in an owner file means stale only if not among these. */
const held = new Set<string>();

export interface DataFolderLock {
  release(): Promise<void>;
}

/**
 * Takes the folder's lock or throws DataFolderLockedError naming the holder. `onLost` runs if the
 * lock is taken away while held (its refresh came too late and another process took it over).
 */
export async function lockDataFolder(dataDir: string, onLost: (error: Error) => void): Promise<DataFolderLock> {
  const folder = resolve(dataDir);
  const options = { lockfilePath: join(folder, LOCK_NAME), stale: STALE_MS, update: UPDATE_MS, realpath: false, onCompromised: onLost };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(folder, options);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ELOCKED') throw error;
    const owner = await readOwner(folder);
    if (!owner || !isGone(owner, folder)) throw new DataFolderLockedError(dataDir, owner);
    await rm(join(folder, LOCK_NAME), { recursive: true, force: true });
    try {
      release = await lockfile.lock(folder, options);
    } catch (again) {
      if ((again as { code?: string }).code === 'ELOCKED') throw new DataFolderLockedError(dataDir, await readOwner(folder));
      throw again;
    }
  }
  held.add(folder);
  const owner: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  await writeFile(join(folder, OWNER_NAME), `${JSON.stringify(owner)}\n`);
  let released: Promise<void> | undefined;
  return {
    release: () =>
      (released ??= (async () => {
        held.delete(folder);
        await rm(join(folder, OWNER_NAME), { force: true });
        await release().catch(() => undefined);
      })()),
  };
}

async function readOwner(folder: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await readFile(join(folder, OWNER_NAME), 'utf8')) as Partial<Owner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string') return undefined;
    return { pid: owner.pid, host: owner.host, since: typeof owner.since === 'string' ? owner.since : 'an unknown time' };
  } catch {
    return undefined;
  }
}

/** The holder is known to be gone: on this host, and its pid runs no more (or is this process, which does not hold it). */
function isGone(owner: Owner, folder: string): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !held.has(folder);
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
