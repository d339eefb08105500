/**
 * The module graph's rules, checked by `npm run lint` (depcruise after eslint): no import cycle
 * anywhere, type-only imports included; no app imports another app; no library imports an app.
 * Tests and benchmarks may import the apps they exercise. test/architecture/import-rules.spec.ts
 * proves each rule fails on a small fixture and passes on the tree.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle couples its modules into one: break it (a port, a lib below both, or a file moved).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-app-imports-another-app',
      severity: 'error',
      comment: 'Apps share code through libs/<name> (@tasking/<name>), never by importing each other.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-lib-imports-an-app',
      severity: 'error',
      comment: 'Libraries sit below the apps.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|coverage|data)/|^bench/(\\.scratch|results)/|^test/architecture/fixtures/' },
    // Type-only imports count: a cycle through types still couples the modules.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
    moduleSystems: ['es6', 'cjs'],
  },
};
