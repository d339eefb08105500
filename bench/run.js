#!/usr/bin/env node
'use strict';
/**
 * `npm run bench [-- name... --full]`: compiles (support/compile.js), then runs bench/main.ts.
 * `node bench/run.js bench/<script>.ts [args]` runs another compiled bench script instead
 * (e.g. the append design experiment, bench/append-variants.ts).
 */
const path = require('node:path');
const { compile, ROOT } = require('./support/compile');

const script = process.argv[2] && process.argv[2].endsWith('.ts') ? process.argv.splice(2, 1)[0] : 'bench/main.ts';
const { outDir, compiled } = compile([script]);
if (compiled > 0) console.log(`(compiled ${compiled} changed files into ${path.relative(ROOT, outDir)})`);
require(path.join(outDir, path.relative(ROOT, path.resolve(script)).replace(/\.ts$/, '.js')));
