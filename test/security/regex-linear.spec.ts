import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Linter } from 'eslint';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

/**
 * Every regular expression in the product's code (apps and libs, tests aside) is checked by
 * eslint-plugin-regexp's analysis for super-linear backtracking (a quantifier that can trade
 * characters with its neighbour, as the old bearer pattern's did) and super-linear moves (an
 * unanchored pattern that scans the rest of the input from each start). Deterministic: no timing.
 * Inline eslint comments cannot exempt a pattern.
 */
const ROOT = resolve(__dirname, '../..');
const SOURCES = ['apps', 'libs'];

function sourceFiles(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'dist'].includes(entry.name)) sourceFiles(path, into);
    } else if (/\.tsx?$/.test(entry.name) && !/\.(e2e-)?spec\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      into.push(path);
    }
  }
  return into;
}

const config: Linter.Config[] = [
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser as Linter.Parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
    plugins: { regexp: regexp as never },
    rules: {
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': ['error', { ignoreSticky: false, ignorePartial: false }],
    },
  },
];

describe('regular expressions run in linear time', () => {
  const linter = new Linter({ configType: 'flat' });
  const lint = (code: string, filename = 'probe.ts') => linter.verify(code, config, { filename }).map((m) => `${m.ruleId}: ${m.message}`);

  it('the check finds the shapes it is for (the control)', () => {
    expect(lint('export const bearer = /^Bearer\\s+([A-Za-z0-9\\-_=]+\\.[A-Za-z0-9\\-_=]+\\.?[A-Za-z0-9\\-_.+/=]*)\\s*$/i;')).toEqual([
      expect.stringMatching(/^regexp\/no-super-linear-backtracking/),
    ]);
    expect(lint("export const trailing = new RegExp('\\\\s*;$');")).toEqual([expect.stringMatching(/^regexp\/no-super-linear-move/)]);
    expect(lint('export const version = /(\\d+)\\.(\\d+)/;')).toEqual([expect.stringMatching(/^regexp\/no-super-linear-move/)]);
    expect(lint('export const safe = /^[A-Za-z0-9._:-]{1,100}$/;')).toEqual([]);
  });

  it('finds none in apps and libs', () => {
    const files = SOURCES.flatMap((dir) => sourceFiles(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(200);
    const reports = files.flatMap((file) =>
      linter
        .verify(readFileSync(file, 'utf8'), config, { filename: file })
        .filter((m) => m.fatal === true || m.ruleId?.startsWith('regexp/'))
        .map((m) => `${relative(ROOT, file)}:${m.line} ${m.ruleId ?? 'parse'}: ${m.message}`),
    );
    expect(reports).toEqual([]);
  }, 120_000);
});
