import { randomUUID } from 'node:crypto';
import { openTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { EventIdIndex } from './event-id-index';

describe('the KurrentDB event-id index table', () => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await openTestDatabase();
  }, 60_000);
  afterAll(() => test.close());

  it("is the adapter's migration in store_migrations, and upgrades a table created at start before it, keeping its rows", async () => {
    const table = `"${test.db.schema}".event_id_index`;
    // As releases before the migration created it.
    await test.db.pool.query(`CREATE TABLE ${table} (event_id uuid PRIMARY KEY, stream text NOT NULL, revision bigint NOT NULL, position text COLLATE "C" NOT NULL)`);
    const eventId = randomUUID();
    await test.db.pool.query(`INSERT INTO ${table} VALUES ($1, 'problem-1', 0, '0001')`, [eventId]);

    const index = new EventIdIndex(test.db);
    await index.ensure();
    await index.ensure();

    expect(await index.find([eventId])).toEqual([{ eventId, stream: 'problem-1', revision: 0, position: '0001' }]);
    const { rows } = await test.db.pool.query('SELECT version, name FROM store_migrations ORDER BY version');
    expect(rows).toEqual([
      { version: 1, name: 'events table' },
      { version: 1001, name: 'kurrentdb event-id index' },
    ]);
  });
});
