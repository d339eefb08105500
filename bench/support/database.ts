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

/**
 * A new schema name `b_<what>_<hours since epoch, hex>_<random>`, remembered so that
 * `dropSchemas` removes it; the hour lets a later run sweep what a killed run left behind.
 */
export function freshSchema(what: string): string {
  const hour = Math.floor(Date.now() / 3_600_000).toString(16);
  const schema = `b_${what.replace(/[^a-z0-9]/g, '_')}_${hour}_${randomBytes(3).toString('hex')}`;
  created.add(schema);
  return schema;
}

/** Drops bench schemas and scratch databases left by runs killed 6+ hours ago. */
export async function sweepStaleSchemas(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const dropped: string[] = [];
  try {
    const { rows: databases } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^bench_[a-z0-9_]+_[0-9a-f]+_[0-9a-f]{6}$'`);
    for (const { datname } of databases) {
      const hour = parseInt(datname.split('_').at(-2)!, 16);
      if (!(Math.floor(Date.now() / 3_600_000) - hour >= 6)) continue;
      await dropDatabase(databaseUrl, datname);
      dropped.push(datname);
    }
    const { rows } = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname ~ '^b_[a-z0-9_]+_[0-9a-f]+_[0-9a-f]{6}$'`);
    const now = Math.floor(Date.now() / 3_600_000);
    for (const { nspname } of rows) {
      const hour = parseInt(nspname.split('_').at(-2)!, 16);
      if (!(now - hour >= 6)) continue;
      await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
      dropped.push(nspname);
    }
  } finally {
    await client.end();
  }
  return dropped;
}

/** Leaves a schema out of the end-of-run clean-up (the stale sweep still drops it after 6 hours). */
export function forgetSchema(schema: string): void {
  created.delete(schema);
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

const createdDatabases = new Set<string>();

/** The URL of `name` on the server of `url`. */
const urlOf = (url: string, name: string): string => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/**
 * A database of its own, `bench_<what>_<hour>_<random>` on the bench server, for the append
 * benchmarks: Emmett's migration looks its functions up by name in the whole database, so two
 * Emmett schemas in one database (a concurrent or killed run) break each other.
 */
export async function createScratchDatabase(benchUrl: string, what: string): Promise<{ name: string; url: string }> {
  const hour = Math.floor(Date.now() / 3_600_000).toString(16);
  const name = `bench_${what.replace(/[^a-z0-9]/g, '_')}_${hour}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: urlOf(benchUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    createdDatabases.add(name);
  } finally {
    await admin.end();
  }
  return { name, url: urlOf(benchUrl, name) };
}

export async function dropDatabase(benchUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: urlOf(benchUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    createdDatabases.delete(name);
  } finally {
    await admin.end();
  }
}

/** Drops every schema and scratch database this process created and has not dropped yet (end of run, Ctrl-C). */
export async function dropSchemas(databaseUrl: string): Promise<void> {
  for (const schema of [...created]) await dropSchema(databaseUrl, schema).catch(() => undefined);
  for (const name of [...createdDatabases]) await dropDatabase(databaseUrl, name).catch(() => undefined);
}
