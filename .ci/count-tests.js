#!/usr/bin/env node
// Prints each run's count from its jest --json results, then their sum as the last line:
// `tests: N passed, N failed, N skipped`. Arguments: `<runtime>=<results.json>` per run.
// A run that left no readable results counts as one failed test. Exits 1 when any test failed.
'use strict';
const { readFileSync } = require('node:fs');

const total = { passed: 0, failed: 0, skipped: 0 };
const line = (c) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
for (const arg of process.argv.slice(2)) {
  const at = arg.indexOf('=');
  const [runtime, file] = [arg.slice(0, at), arg.slice(at + 1)];
  let count;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    count = { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
  } catch {
    count = { passed: 0, failed: 1, skipped: 0 };
  }
  console.log(`tests on ${runtime}: ${line(count)}`);
  for (const key of Object.keys(total)) total[key] += count[key];
}
console.log(`tests: ${line(total)}`);
process.exit(total.failed > 0 ? 1 : 0);
