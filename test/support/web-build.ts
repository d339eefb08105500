import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const WEB_DIST = join(ROOT, 'apps', 'web', 'dist');
const WEB_SOURCES = [join(ROOT, 'apps', 'web', 'src'), join(ROOT, 'apps', 'web', 'index.html'), join(ROOT, 'apps', 'web', 'vite.config.mts')];

/** The newest modification time under these paths (files and folders, recursively). */
function newest(paths: readonly string[]): number {
  let latest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    latest = Math.max(latest, stat.mtimeMs);
    if (stat.isDirectory()) latest = Math.max(latest, newest(readdirSync(path).map((name) => join(path, name))));
  }
  return latest;
}

/**
 * Builds the console when apps/web/dist is missing or older than its sources (about 10 s), so a
 * suite never tests a stale build. Suites that start the API and expect a quiet start need it too:
 * without a build the API warns that the console is not served.
 */
export function ensureWebBuilt(): void {
  const index = join(WEB_DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(WEB_SOURCES)) return;
  // Jest sets NODE_ENV=test, which would make Vite bundle React's development build: test what ships.
  execFileSync('npm', ['run', '--silent', 'build:web'], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: 'inherit', timeout: 300_000 });
  if (!existsSync(index)) throw new Error('npm run build:web did not produce apps/web/dist/index.html');
}
