import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The console's first screen downloads only its entry chunk and the chunks that chunk imports
 * statically; the map (Leaflet), the charts (Chart.js) and the sign-in library (oidc-client-ts)
 * load on demand. The console is built afresh (Vite only, about 5 s) into a scratch folder with a
 * manifest, so the figure is today's code, not a stale apps/web/dist.
 */
const ROOT = join(__dirname, '..', '..');
const LIMIT_BYTES = 120 * 1000;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The entry chunk and everything it imports statically (what the browser fetches before the first paint). */
function firstScreenChunks(manifest: Manifest): string[] {
  const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
  if (!entry) throw new Error('the build manifest has no entry chunk');
  const seen = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) walk(next);
  };
  walk(entry);
  return [...seen];
}

describe('the console’s first screen', () => {
  let outDir: string;
  let manifest: Manifest;
  let firstScreen: { key: string; file: string; code: Buffer; gzipped: number }[];

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'tl-web-weight-'));
    execFileSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--config', 'apps/web/vite.config.mts', '--outDir', outDir, '--emptyOutDir', '--manifest', '--logLevel', 'error'], {
      cwd: ROOT,
      // Jest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
      timeout: 180_000,
    });
    manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
    firstScreen = firstScreenChunks(manifest).map((key) => {
      const file = manifest[key]!.file;
      const code = readFileSync(join(outDir, file));
      return { key, file, code, gzipped: gzipSync(code).length };
    });
  }, 200_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('loads under 120 kB of JavaScript, gzipped (entry chunk plus its static imports)', () => {
    const total = firstScreen.reduce((sum, chunk) => sum + chunk.gzipped, 0);
    const detail = firstScreen.map((c) => `${c.file} ${(c.gzipped / 1000).toFixed(1)} kB`).join(', ');
    expect({ total, detail, withinLimit: total <= LIMIT_BYTES }).toEqual({ total, detail, withinLimit: true });
  });

  it.each([
    ['the map (Leaflet)', 'src/hotspot-map.tsx', 'leaflet-container'],
    ['the charts (Chart.js)', 'src/charts.tsx', 'chartjs'],
    ['the sign-in library (oidc-client-ts)', '../../node_modules/oidc-client-ts/dist/esm/oidc-client-ts.js', 'OidcClient'],
  ])('loads %s on demand, in its own chunk', (_what, source, signature) => {
    expect(manifest[source]).toMatchObject({ isDynamicEntry: true });
    expect(firstScreen.map((c) => c.key)).not.toContain(source);
    expect(firstScreen.filter((c) => c.code.includes(signature)).map((c) => c.file)).toEqual([]);
    expect(readFileSync(join(outDir, manifest[source]!.file)).includes(signature)).toBe(true);
  });
});
