import { ESLint } from 'eslint';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The lint rules that keep the domain pure are an allow-list: relative imports that stay inside
 * libs/domain/src, and no clock, randomness, global object or module loading. Each ban must fail
 * the lint on a small snippet placed in the domain, and today's domain must pass.
 */
const root = join(__dirname, '..', '..');
// Handed over as an object: jest's module system cannot run ESLint's own import() of the config file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require('../../eslint.config.mjs').default;
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config });

const lintDomainSource = async (source: string, file = 'libs/domain/src/problem/probe.ts') => {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) });
  return result.messages.map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
};

describe('domain boundaries', () => {
  it.each([
    ["import { Injectable } from '@nestjs/common';", 'no-restricted-imports'],
    ["import { Entity } from 'typeorm';", 'no-restricted-imports'],
    ["import { Queue } from 'bullmq';", 'no-restricted-imports'],
    ["import { Pool } from 'pg';", 'no-restricted-imports'],
    ["import { newId } from '@tasking/shared';", 'no-restricted-imports'],
    ["import { randomUUID } from 'crypto';", 'no-restricted-imports'],
    ["import { randomUUID } from 'node:crypto';", 'no-restricted-imports'],
    ["import { v4 } from 'uuid';", 'no-restricted-imports'],
    ["import { Subject } from 'rxjs';", 'no-restricted-imports'],
    ["import type { Principal } from '@tasking/auth';", 'no-restricted-imports'],
    ["export { newId } from '@tasking/shared';", 'no-restricted-imports'],
    ["import { x } from '../../../../apps/api/src/main';", 'domain/imports-inside'],
    ["import { newId } from '../../../shared/src/index';", 'domain/imports-inside'],
    ["import type { EventStore } from '../../../event-store/src';", 'domain/imports-inside'],
    ["export * from '../../../projections/src';", 'domain/imports-inside'],
    ["import x = require('../../../shared/src');", 'no-restricted-syntax'],
    ["export type Store = import('../../../event-store/src').EventStore;", 'no-restricted-syntax'],
    ["export const load = () => import('./problem.state');", 'no-restricted-syntax'],
  ])('rejects %s', async (source, rule) => {
    const messages = await lintDomainSource(`${source}\nexport const probe = 1;\n`);
    expect(messages.filter((m) => m.startsWith(`${rule}:`))).toHaveLength(1);
  });

  it.each([
    ['Date()', 'export const now = Date();', 'no-restricted-syntax'],
    ['new Date()', 'export const now = new Date();', 'no-restricted-syntax'],
    ['new Date', 'export const now = new Date;', 'no-restricted-syntax'],
    ['Date.now', 'export const now = Date.now();', 'no-restricted-properties'],
    ['Date.now by destructuring', 'const { now } = Date;\nexport const later = now() + 1;', 'no-restricted-properties'],
    ["Date['now']", "export const now = Date['now']();", 'no-restricted-properties'],
    ['Math.random', 'export const id = Math.random().toString(36);', 'no-restricted-properties'],
    ['crypto', 'export const id = crypto.randomUUID();', 'no-restricted-globals'],
    ['performance', 'export const t = performance.now();', 'no-restricted-globals'],
    ['globalThis', "export const g = (globalThis as unknown as Record<string, () => number>)['Date'];", 'no-restricted-globals'],
    ['process', 'export const env = process.env;', 'no-restricted-globals'],
    ['setTimeout', 'setTimeout(() => undefined, 1);\nexport const probe = 1;', 'no-restricted-globals'],
    ['fetch', "export const get = () => fetch('http://example.org');", 'no-restricted-globals'],
    ['require', "export const load = () => require('node:fs');", 'no-restricted-globals'],
    ['new Function', "export const now = new Function('return Date.now()');", 'no-new-func'],
  ])('rejects %s', async (_name, source, rule) => {
    const messages = await lintDomainSource(`${source}\n`);
    expect(messages.filter((m) => m.startsWith(`${rule}:`))).toHaveLength(1);
  });

  it('holds in the domain\'s specs too', async () => {
    const messages = await lintDomainSource('export const now = Date.now();\n', 'libs/domain/src/problem/probe.spec.ts');
    expect(messages).toEqual([expect.stringMatching(/^no-restricted-properties:/)]);
  });

  it('accepts pure code with relative imports inside the domain', async () => {
    const source = [
      "import type { ProblemState } from './problem.state';",
      "import { reject } from '../decision';",
      "export * from './problem.events';",
      'export const later = (a: string, b: string): boolean => Date.parse(a) > Date.parse(b);',
      'export const day = (at: string): string => new Date(at).toISOString().slice(0, 10);',
      'export const score = (state: ProblemState): number => Math.max(0, state.revision);',
      "export const refuse = () => reject('NOT_FOUND', 'not found');",
    ].join('\n');
    expect(await lintDomainSource(`${source}\n`)).toEqual([]);
  });

  it("passes on today's domain", async () => {
    const files = readdirSync(join(root, 'libs/domain/src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const file of files) {
      const path = join('libs/domain/src', file);
      for (const message of await lintDomainSource(readFileSync(join(root, path), 'utf8'), path)) problems.push(`${path}: ${message}`);
    }
    expect(problems).toEqual([]);
  });
});
