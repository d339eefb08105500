import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The lint rules that keep the domain pure must actually fail on a framework import or a clock read. */
const root = join(__dirname, '..', '..');
const lintDomainSource = (source: string) =>
  spawnSync(process.execPath, [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--stdin', '--stdin-filename', 'libs/domain/src/probe.ts'], {
    cwd: root,
    input: source,
    encoding: 'utf8',
  });

describe('domain boundaries', () => {
  it.each([
    ["import { Injectable } from '@nestjs/common';", '@nestjs/common'],
    ["import { Entity } from 'typeorm';", 'typeorm'],
    ["import { Queue } from 'bullmq';", 'bullmq'],
    ["import { Pool } from 'pg';", 'pg'],
    ["import { newId } from '@tasking/shared';", '@tasking/shared'],
    ["import { x } from '../../../apps/api/src/main';", 'apps'],
  ])('rejects %s', (source) => {
    const result = lintDomainSource(`${source}\nexport const probe = 1;\n`);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/no-restricted-imports/);
  });

  it('rejects reading the clock', () => {
    const result = lintDomainSource('export const a = Date.now();\nexport const b = new Date();\n');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/no-restricted-properties/);
    expect(result.stdout).toMatch(/no-restricted-syntax/);
  });

  it('accepts pure code', () => {
    const result = lintDomainSource("export const later = (a: string, b: string): boolean => Date.parse(a) > Date.parse(b);\n");
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
