'use strict';
/**
 * Compiles the benchmarks and the code they run (apps/api, apps/worker, libs) to plain CommonJS
 * in node_modules/.cache/tasking-ledger-bench, with SWC and the test suite's settings
 * (jest.config.js: legacy decorators with metadata, ES2022); `@tasking/<lib>` imports are
 * rewritten to relative paths as tsconfig's `paths` say. Only files changed since the last run
 * are compiled again (a cold compile takes a second or two).
 *
 * Why not `npm run build`: it also builds the web console and stops at the first type error
 * anywhere in the tree; the benchmarks need neither. Type-check the bench itself with
 * `npx tsc -p bench/tsconfig.json`. The output is what tsc would run (CommonJS, ES2022), so the
 * measured process carries no compiler and no source maps (both would add to its RSS).
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCES = ['apps/api/src', 'apps/worker/src', 'libs', 'bench'];
const SKIP = /(\.spec\.ts|\.e2e-spec\.ts|\.d\.ts)$|\/(node_modules|results|\.scratch|testing)\//;

function options(filename) {
  // The aliases tsconfig.json declares.
  const { paths } = require(path.join(ROOT, 'tsconfig.json')).compilerOptions;
  return {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: ROOT,
      paths,
    },
    module: { type: 'commonjs', ignoreDynamic: false },
    sourceMaps: false,
  };
}

function walk(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name.endsWith('.ts') && !SKIP.test(full.slice(ROOT.length))) out.push(full);
  }
  return out;
}

/** Compiles what changed (and `extra` files, wherever they are); returns the output folder (mirrors the repository's layout). */
function compile(extra = []) {
  const { transformSync, version } = require('@swc/core');
  const key = crypto.createHash('sha256').update(JSON.stringify([version, options('x'), ROOT])).digest('hex').slice(0, 12);
  const outDir = path.join(ROOT, 'node_modules', '.cache', 'tasking-ledger-bench', key);
  let compiled = 0;
  for (const source of [...SOURCES.flatMap((s) => walk(path.join(ROOT, s), [])), ...extra.map((f) => path.resolve(f))]) {
    const target = path.join(outDir, path.relative(ROOT, source)).replace(/\.ts$/, '.js');
    const stat = fs.statSync(source);
    if (fs.existsSync(target) && fs.statSync(target).mtimeMs >= stat.mtimeMs) continue;
    const { code } = transformSync(fs.readFileSync(source, 'utf8'), options(source));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, code);
    compiled += 1;
  }
  process.env.TASKING_BENCH_ROOT = ROOT;
  return { outDir, compiled };
}

module.exports = { compile, ROOT };
