import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The module-graph rules of `npm run lint` (.dependency-cruiser.cjs): no import cycle, type-only
 * imports included; no app imports another app; no library imports an app. Each rule must fail on
 * a small tree that breaks it, and today's tree must pass.
 */
const root = join(__dirname, '..', '..');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

interface Outcome {
  status: number | null;
  rules: string[];
}

function cruise(cwd: string, paths: string[]): Outcome {
  // As `npm run lint` runs it: the default report, one `error <rule>: <from> → <to>` per violation, and its exit status.
  const run = spawnSync(process.execPath, [depcruise, ...paths, '--config', config], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  return { status: run.status, rules: [...new Set([...run.stdout.matchAll(/^\s*error ([\w-]+):/gm)].map((m) => m[1]!))].sort() };
}

/** A throw-away tree with a tsconfig like the project's. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'import-rules-'));
  const all = { 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'node20', moduleResolution: 'node16', strict: true } }), ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('import rules (npm run lint)', () => {
  const made: string[] = [];
  const check = (files: Record<string, string>, paths = ['apps', 'libs']) => {
    const dir = tree(files);
    made.push(dir);
    return cruise(dir, paths.filter((p) => Object.keys(files).some((f) => f.startsWith(`${p}/`))));
  };
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('fails on an import cycle', () => {
    const outcome = check({
      'libs/one/src/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'libs/one/src/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    expect(outcome).toEqual({ status: 1, rules: ['no-circular'] });
  });

  it('fails on a cycle made only of type-only imports', () => {
    const outcome = check({
      'libs/one/src/a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
      'libs/one/src/b.ts': "import type { A } from './a';\nexport interface B { a?: A }\n",
    });
    expect(outcome).toEqual({ status: 1, rules: ['no-circular'] });
  });

  it('fails when an app imports another app', () => {
    const outcome = check({
      'apps/worker/src/main.ts': "import { open } from '../../api/src/runtime';\nopen();\n",
      'apps/api/src/runtime.ts': 'export const open = () => undefined;\n',
    });
    expect(outcome).toEqual({ status: 1, rules: ['no-app-imports-another-app'] });
  });

  it('fails when a library imports an app', () => {
    const outcome = check({
      'libs/one/src/index.ts': "import { open } from '../../../apps/api/src/runtime';\nopen();\n",
      'apps/api/src/runtime.ts': 'export const open = () => undefined;\n',
    });
    expect(outcome).toEqual({ status: 1, rules: ['no-lib-imports-an-app'] });
  });

  it('passes on a tree without them (an app importing its own files and a library)', () => {
    const outcome = check({
      'apps/api/src/main.ts': "import { open } from './runtime';\nimport { a } from '../../../libs/one/src/a';\nopen(a);\n",
      'apps/api/src/runtime.ts': 'export const open = (_: unknown) => undefined;\n',
      'libs/one/src/a.ts': 'export const a = 1;\n',
    });
    expect(outcome).toEqual({ status: 0, rules: [] });
  });

  it("passes on the project's tree", () => {
    expect(cruise(root, ['apps', 'libs', 'test', 'bench'])).toEqual({ status: 0, rules: [] });
  });
});
