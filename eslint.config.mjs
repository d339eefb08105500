import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import tseslint from 'typescript-eslint';

const clock = 'time arrives in the command; the domain never reads the clock';
const outside = 'the domain is pure: no I/O, timers, clock, randomness or global object';
const DOMAIN = `${sep}libs${sep}domain${sep}src${sep}`;

/** Relative imports in libs/domain must resolve inside libs/domain/src (no other lib, no app by relative path). */
const importsInsideDomain = {
  meta: { type: 'problem', schema: [], messages: { outside: "'{{source}}' leaves libs/domain/src: the domain imports only its own files" } },
  create(context) {
    const at = context.filename.lastIndexOf(DOMAIN);
    if (at < 0) return {};
    const root = context.filename.slice(0, at + DOMAIN.length - 1);
    const check = (node) => {
      const source = node?.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const path = relative(root, resolve(dirname(context.filename), source));
      if (path.startsWith('..') || isAbsolute(path)) context.report({ node: node.source, messageId: 'outside', data: { source } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default tseslint.config(
  { ignores: ['bench/.scratch/**', 'dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'apps/web/dist/**', 'bench/results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../libs/*', '../../../libs/*', '**/libs/*/src/*'], message: 'import other libs through @tasking/<lib>' }] }],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    plugins: { domain: { rules: { 'imports-inside': importsInsideDomain } } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // An allow-list: the domain imports only its own files, by relative path.
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\.\\.?(/|$))', message: 'the domain is pure: it imports only its own files, by relative path (no package, no builtin, no other lib)' }] }],
      'domain/imports-inside': 'error',
      'no-restricted-globals': ['error', ...['process', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'fetch', 'require', 'crypto', 'performance', 'globalThis', 'global'].map((name) => ({ name, message: outside }))],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: clock },
        { object: 'Math', property: 'random', message: 'ids and chances arrive in the command; the domain draws no random numbers' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: clock },
        { selector: "CallExpression[callee.name='Date']", message: clock },
        { selector: 'ImportExpression', message: 'the domain loads no module at run time' },
        { selector: 'TSImportType', message: 'the domain imports only its own files, by relative path' },
        { selector: 'TSExternalModuleReference', message: 'the domain imports only its own files, by relative path' },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // Benchmarks measure the libraries' internals (the SQL store itself), not only their entries.
    files: ['bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Tests may read the clock; the domain's own specs may not (they decide with the times they give).
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['libs/domain/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off', 'no-restricted-globals': 'off', 'no-restricted-properties': 'off', 'no-restricted-syntax': 'off' },
  },
);
