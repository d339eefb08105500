import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** .ci/run counts both runtimes' runs: one line each, the sum last, and a failure in either fails CI. */
const script = join(__dirname, '..', '..', '.ci', 'count-tests.js');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ci-count-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const results = (name: string, passed: number, failed: number, pending = 0, todo = 0): string => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numPendingTests: pending, numTodoTests: todo, success: failed === 0 }));
  return file;
};
const count = (...runs: string[]) => {
  const run = spawnSync(process.execPath, [script, ...runs], { encoding: 'utf8' });
  return { status: run.status, lines: run.stdout.trimEnd().split('\n') };
};

describe('CI test count', () => {
  it('prints each runtime and then the sum as the last line', () => {
    const { status, lines } = count(`Node v20.20.2=${results('a.json', 1000, 0, 2, 1)}`, `Node v24.21.0=${results('b.json', 1001, 0, 2)}`);
    expect(lines).toEqual(['tests on Node v20.20.2: 1000 passed, 0 failed, 3 skipped', 'tests on Node v24.21.0: 1001 passed, 0 failed, 2 skipped', 'tests: 2001 passed, 0 failed, 5 skipped']);
    expect(status).toBe(0);
  });

  it.each([
    ['the first', 1, 0],
    ['the second', 0, 1],
  ])('fails when %s run has a failed test', (_which, first, second) => {
    const { status, lines } = count(`Node v20=${results('c.json', 10, first)}`, `Node v24=${results('d.json', 10, second)}`);
    expect(lines.at(-1)).toBe('tests: 20 passed, 1 failed, 0 skipped');
    expect(status).toBe(1);
  });

  it('counts a run that left no results as a failure', () => {
    const { status, lines } = count(`Node v20=${results('e.json', 10, 0)}`, `Node v24=${join(dir, 'missing.json')}`);
    expect(lines).toEqual(['tests on Node v20: 10 passed, 0 failed, 0 skipped', 'tests on Node v24: 0 passed, 1 failed, 0 skipped', 'tests: 10 passed, 1 failed, 0 skipped']);
    expect(status).toBe(1);
  });
});
