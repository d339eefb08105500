import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signDevToken } from '@tasking/auth';
import { loadConfig } from '@tasking/shared';
import { openRuntime, type Runtime } from '@tasking/runtime';
import { createApp } from '../../apps/api/src/create-app';
import { injectJson } from '../support/inject';
import { sparePort } from '../jobs/support/redis-server';

/**
 * Disk full on the embedded store (quality.md, Reliability): PGlite in a small tmpfs of the test's
 * own (mounting one needs root, as .ci/run has). Filling the file system makes writes answer
 * 503 STORAGE_FULL (never 500) and readiness fail; freeing space brings both back without a
 * restart, with every acknowledged write kept; a start on a full file system says so.
 */
const SIZE_MB = 200;

/** Writes a file until the file system refuses; answers the file's path. */
async function fill(folder: string): Promise<string> {
  const path = join(folder, `filler-${randomBytes(4).toString('hex')}`);
  const file = await open(path, 'w');
  const chunk = Buffer.alloc(1024 * 1024, 1);
  try {
    for (;;) await file.write(chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  // The last partial megabyte: fill what is left in small pieces.
  const small = Buffer.alloc(4096, 1);
  try {
    for (;;) await file.write(small);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await file.close();
  }
  return path;
}

describe('disk full on the embedded store (a small tmpfs of the test\'s own)', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'tl-full-'));
  const secret = randomBytes(32).toString('hex');
  let runtime: Runtime;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE_MB}m`, 'tmpfs', mountPoint], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`this suite mounts a ${SIZE_MB} MB tmpfs and needs root to do so: ${(error as Error).message}`);
    }
    const config = loadConfig({
      DATA_DIR: join(mountPoint, 'data'),
      AUTH_JWT_SECRET: secret,
      REDIS_URL: `redis://127.0.0.1:${await sparePort()}`,
      RATE_LIMIT_PER_USER_PER_MINUTE: '0',
      RATE_LIMIT_PER_IP_PER_MINUTE: '0',
      LOG_LEVEL: 'silent',
    });
    runtime = await openRuntime(config, { projectionOptions: { logger: { warn: () => undefined, error: () => undefined }, maxRetryDelayMs: 500 } });
    app = await createApp(runtime, { logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    try {
      execFileSync('umount', [mountPoint], { stdio: 'pipe' });
    } catch {
      // not mounted: beforeAll failed before it
    }
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('answers 503 STORAGE_FULL and fails readiness while full, then recovers without a restart, keeping every acknowledged write', async () => {
    const admin = await signDevToken(secret, { sub: 'admin-full', name: 'Admin', agency: 'POLICE', roles: ['admin'] });
    const register = (i: number) =>
      injectJson(app, 'POST', '/v1/agencies', { token: admin, body: { code: `AG-${i}`, name: `Agency ${i} ${'n'.repeat(150)}`, kind: 'other' } });
    expect((await register(0)).status).toBe(201);
    expect((await injectJson(app, 'GET', '/health/ready')).status).toBe(200);

    const filler = await fill(mountPoint);
    const acknowledged = ['AG-0'];
    const statuses = new Map<string, number>();
    let refused: Awaited<ReturnType<typeof register>> | undefined;
    for (let i = 1; i <= 3000 && !refused; i += 1) {
      const answer = await register(i);
      const key = `${answer.status} ${answer.body?.code ?? ''}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      if (answer.status === 201) acknowledged.push(`AG-${i}`);
      else refused = answer;
    }
    expect(refused).toBeDefined();
    expect(refused!.status).toBe(503);
    expect(refused!.headers['content-type']).toContain('application/problem+json');
    expect(refused!.body).toMatchObject({ code: 'STORAGE_FULL' });
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((k) => !k.startsWith('201') && k !== '503 STORAGE_FULL')).toEqual([]);

    const notReady = await injectJson(app, 'GET', '/health/ready');
    expect(notReady.status).toBe(503);
    expect(JSON.stringify(notReady.body)).toContain('no space left');
    // Still full a moment later: readiness stays failed.
    expect((await injectJson(app, 'GET', '/health/ready')).status).toBe(503);

    await rm(filler);
    expect((await injectJson(app, 'GET', '/health/ready')).status).toBe(200);
    expect((await register(99_999)).status).toBe(201);
    acknowledged.push('AG-99999');

    for (const code of acknowledged) {
      const events = await runtime.store.read(`agency-${code}`);
      expect([code, events[0]?.type]).toEqual([code, 'AgencyRegistered']);
    }
  });

  it('says that the file system is full when the embedded store cannot start for lack of space', async () => {
    const folder = join(mountPoint, 'second');
    await mkdir(folder);
    const filler = await fill(mountPoint);
    try {
      const config = loadConfig({ DATA_DIR: join(folder, 'data'), AUTH_JWT_SECRET: secret, REDIS_URL: `redis://127.0.0.1:${await sparePort()}`, LOG_LEVEL: 'silent' });
      await expect(openRuntime(config)).rejects.toThrow(/could not start: its file system is full \(\d+\.\d MB free\); free some space and start again/);
    } finally {
      await rm(filler);
    }
  });
});
