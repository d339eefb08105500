import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The console's modules form no import cycle, type-only imports included: pages read the session
 * from session-context.ts, never from app.tsx (which imports the pages). Dynamic `import()` is a
 * load-time edge, not a module-graph one, so it does not count here.
 */
const WEB_SRC = resolve(__dirname, '..', '..', 'apps', 'web', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.d\.ts$/.test(name) ? [path] : [];
  });
}

/** The relative modules a file imports or re-exports statically (`import type` included). */
export function staticImports(source: string): string[] {
  const specifiers: string[] = [];
  const pattern = /(?:^|[;\n])\s*(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g;
  for (const found of source.matchAll(pattern)) specifiers.push(found[1]!);
  return specifiers.filter((s) => s.startsWith('.'));
}

function resolveModule(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find((p) => existsSync(p) && statSync(p).isFile());
}

/** Every cycle found by depth-first search, each as the list of files in it (relative to `root`). */
export function findCycles(graph: Map<string, string[]>, root: string): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'visiting') cycles.push(stack.slice(stack.indexOf(next)).map((f) => relative(root, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(dir)) {
    const targets = staticImports(readFileSync(file, 'utf8'))
      .filter((s) => !/\.(css|svg|png|json)$/.test(s))
      .map((s) => resolveModule(file, s))
      .filter((p): p is string => !!p);
    graph.set(file, targets);
  }
  return graph;
}

describe('apps/web import graph', () => {
  it('reads value, type-only and re-export imports, and skips dynamic import()', () => {
    const source = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "import './styles.css';",
      "export { c } from './c';",
      "import {\n  d,\n  type E,\n} from './d';",
      "import React from 'react';",
      "const lazy = () => import('./lazy');",
    ].join('\n');
    expect(staticImports(source)).toEqual(['./a', '../b', './styles.css', './c', './d']);
  });

  it('finds a cycle and names its files', () => {
    const graph = new Map([
      ['/w/app.tsx', ['/w/pages/a.tsx']],
      ['/w/pages/a.tsx', ['/w/app.tsx']],
      ['/w/main.tsx', ['/w/app.tsx']],
    ]);
    expect(findCycles(graph, '/w')).toEqual([['app.tsx', 'pages/a.tsx']]);
  });

  it('has no import cycle in apps/web/src', () => {
    const graph = importGraph(WEB_SRC);
    expect(graph.size).toBeGreaterThan(20);
    expect(findCycles(graph, WEB_SRC)).toEqual([]);
  });
});
