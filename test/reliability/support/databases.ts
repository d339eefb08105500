import pg from 'pg';
import { TEST_DATABASE_URL } from '../../support/test-database';

/**
 * A database of its own on the test server, for processes that open the default schema (the
 * worker, the API's entry point): `rel_<random>`, dropped (connections and all) by `drop()`.
 */
export async function createDatabase(serverUrl = TEST_DATABASE_URL): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `rel_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
