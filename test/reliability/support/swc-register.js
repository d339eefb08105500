/**
 * Runs the TypeScript entry points (apps/api/src/main.ts, apps/worker/src/main.ts) in a plain
 * Node child process, as `node -r test/reliability/support/swc-register.js <entry>.ts`: `.ts`
 * files are compiled with SWC on load (the settings jest uses) and `@tasking/*` resolve to the
 * libs' sources. Tests use it to start the real entry points without a prior `npm run build`.
 */
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const aliases = {};
// The aliases tsconfig.json declares (one list for the compiler, jest, this and the benchmarks).
for (const [alias, [target]] of Object.entries(require(path.join(root, 'tsconfig.json')).compilerOptions.paths)) aliases[alias] = path.join(root, target);

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, aliases[request] ?? request, ...rest);
};

require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
