import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The benchmarks work in a database of their own (`bench`, created when missing) on the server
 * DATABASE_URL names (default the local PostgreSQL), each run in fresh schemas dropped after.
 * BENCH_DATABASE_URL overrides the whole URL.
 */
export function benchDatabaseUrl(): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/bench';
  return url.toString();
}

/** Creates the bench database if missing (connecting to the server's `postgres` database). */
export async function ensureBenchDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  const probe = new pg.Client({ connectionString: databaseUrl });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error; // anything but "database does not exist"
  } finally {
    await probe.end().catch(() => undefined);
  }
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    if ((error as { code?: string }).code !== '42P04') throw error; // created meanwhile
  } finally {
    await admin.end();
  }
}

const created = new Set<string>();

/** A new schema name `b_<what>_<random>`, remembered so that `dropSchemas` removes it. */
export function freshSchema(what: string): string {
  const schema = `b_${what.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
  created.add(schema);
  return schema;
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    created.delete(schema);
  } finally {
    await client.end();
  }
}

/** Drops every schema this process created and has not dropped yet (end of run, Ctrl-C). */
export async function dropSchemas(databaseUrl: string): Promise<void> {
  for (const schema of [...created]) await dropSchema(databaseUrl, schema).catch(() => undefined);
}
