import { randomBytes } from 'node:crypto';
import { registerEventStoreContract } from './contract/event-store.contract';
import { postgresHarness } from './sql-contract-harness';

/** Real PostgreSQL (DATABASE_URL, default the local test database), in a schema of its own, dropped after. */
const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('postgres event store', () => {
  registerEventStoreContract({
    setup: () => postgresHarness(databaseUrl, `es_${randomBytes(6).toString('hex')}`),
  });
});
