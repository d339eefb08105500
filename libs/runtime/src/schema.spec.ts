import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { WebhookSecrets, webhookSecretsKeyFrom } from '@tasking/personal-data';
import { readModelMigrationSet, readModelSchema } from '@tasking/projections';
import { openTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { migrateSchema, schemaMigrations } from './schema';

const secretsKey = randomBytes(32);
const config = { secretsKey: secretsKey.toString('base64'), dataDir: '', databaseUrl: 'postgres://unused', defaultPartnership: 'north' };

/**
 * The personal-data and job tables as releases before the migrations created them at start, in
 * their oldest shapes: webhook secrets one per agency, dead letters without their partnership.
 */
const OLD_DDL = (s: string): string[] => [
  `CREATE TABLE ${s}.data_keys (
     key_id text PRIMARY KEY,
     scope text NOT NULL CHECK (scope IN ('problem', 'subject')),
     problem_id uuid NOT NULL,
     wrapped_key bytea,
     created_at timestamptz NOT NULL,
     erased_at timestamptz,
     CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
   )`,
  `CREATE UNIQUE INDEX data_keys_live_problem_key ON ${s}.data_keys (problem_id) WHERE scope = 'problem' AND erased_at IS NULL`,
  `CREATE INDEX data_keys_problem_idx ON ${s}.data_keys (problem_id)`,
  `CREATE TABLE ${s}.action_problem (action_id uuid PRIMARY KEY, problem_id uuid NOT NULL)`,
  `CREATE TABLE ${s}.subject_access_log (
     id bigserial PRIMARY KEY, problem_id uuid NOT NULL, subject_ids uuid[] NOT NULL, accessed_at timestamptz NOT NULL,
     user_id text NOT NULL, user_name text NOT NULL, agency text NOT NULL, roles text[] NOT NULL, route text NOT NULL
   )`,
  `CREATE INDEX subject_access_log_problem_idx ON ${s}.subject_access_log (problem_id, id DESC)`,
  `CREATE OR REPLACE FUNCTION ${s}.subject_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'subject_access_log is append-only';
   END
   $$`,
  `CREATE OR REPLACE TRIGGER subject_access_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.subject_access_log
     FOR EACH STATEMENT EXECUTE FUNCTION ${s}.subject_access_log_append_only()`,
  `CREATE TABLE ${s}.agency_webhook_secrets (agency_code text PRIMARY KEY, ciphertext bytea NOT NULL, iv bytea NOT NULL, tag bytea NOT NULL, updated_at timestamptz NOT NULL)`,
  `CREATE TABLE ${s}.job_reactor_checkpoints (name text PRIMARY KEY, position text NOT NULL DEFAULT '', updated_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE ${s}.webhook_deliveries (
     event_id uuid NOT NULL, agency text NOT NULL, event_type text NOT NULL, transport text NOT NULL CHECK (transport IN ('webhook', 'log')),
     url text, status_code integer, attempts integer NOT NULL, acknowledged_at timestamptz NOT NULL, PRIMARY KEY (event_id, agency)
   )`,
  `CREATE TABLE ${s}.webhook_dead_letters (
     event_id uuid NOT NULL, agency text NOT NULL, event_type text NOT NULL, url text, attempts integer NOT NULL,
     reason text NOT NULL, failed_at timestamptz NOT NULL, PRIMARY KEY (event_id, agency)
   )`,
  `CREATE INDEX webhook_dead_letters_failed_idx ON ${s}.webhook_dead_letters (failed_at DESC, event_id, agency)`,
  `CREATE TABLE ${s}.escalations (
     action_id uuid NOT NULL, due_by_revision integer NOT NULL, due_by timestamptz NOT NULL, outcome text NOT NULL, done_at timestamptz NOT NULL,
     PRIMARY KEY (action_id, due_by_revision)
   )`,
  `CREATE TABLE ${s}.meeting_packs (
     meeting_id uuid PRIMARY KEY, partnership text NOT NULL, position text NOT NULL, generated_at timestamptz NOT NULL, pack jsonb NOT NULL, html text NOT NULL
   )`,
];

describe.each([
  ['postgres', false],
  ['embedded', true],
])('the schema migrations (%s)', (_, embedded) => {
  let test: TestDatabase;
  const sql = async <R>(text: string, values: unknown[] = []): Promise<R[]> => (await test.db.pool.query(text, values)).rows as R[];
  const columns = async (table: string) =>
    (await sql<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position', [test.db.schema, table])).map(
      (row) => row.column_name,
    );
  const recorded = async (table: string) => (await sql<{ name: string }>(`SELECT name FROM ${table} ORDER BY id`)).map((row) => row.name);

  beforeEach(async () => {
    test = await openTestDatabase({ embedded });
  }, 60_000);
  afterEach(() => test.close());

  it('create the tables of every library on a new database, in the current shapes, and run nothing twice', async () => {
    await migrateSchema(test.db, config);
    await migrateSchema(test.db, config);
    for (const set of schemaMigrations(config)) expect(await recorded(set.table)).toHaveLength(set.migrations.length);
    expect(await columns('agency_webhook_secrets')).toEqual(['agency_code', 'partnership', 'ciphertext', 'iv', 'tag', 'updated_at']);
    expect(await columns('webhook_dead_letters')).toContain('partnership');
    expect(await recorded('read_model_migrations')).toHaveLength(readModelMigrationSet(readModelSchema).migrations.length);
  }, 60_000);

  it('upgrade a database whose tables were created at start before the migrations, keeping their rows', async () => {
    const s = `"${test.db.schema}"`;
    for (const statement of OLD_DDL(s)) await sql(statement);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', webhookSecretsKeyFrom(secretsKey), iv);
    cipher.setAAD(Buffer.from('POLICE', 'utf8'));
    const ciphertext = Buffer.concat([cipher.update('old-police-hook-secret', 'utf8'), cipher.final()]);
    await sql(`INSERT INTO ${s}.agency_webhook_secrets VALUES ('POLICE', $1, $2, $3, now())`, [ciphertext, iv, cipher.getAuthTag()]);
    const problemId = randomUUID();
    await sql(`INSERT INTO ${s}.data_keys (key_id, scope, problem_id, wrapped_key, created_at) VALUES ('k1', 'problem', $1, '\\x00', now())`, [problemId]);
    await sql(`INSERT INTO ${s}.webhook_dead_letters VALUES ($1, 'POLICE', 'ProblemRaised', NULL, 3, 'gone', now())`, [randomUUID()]);
    await sql(`INSERT INTO ${s}.subject_access_log (problem_id, subject_ids, accessed_at, user_id, user_name, agency, roles, route) VALUES ($1, '{}', now(), 'u', 'U', 'POLICE', '{}', '/x')`, [problemId]);

    await migrateSchema(test.db, config);

    expect(await recorded('personal_data_migrations')).toEqual(['PersonalDataTables1796600000000', 'WebhookSecretsPerPartnership1796600000100', 'IncidentDataKeys1796600000200']);
    // The import tables' timestamp sorts before the job tables' (independent tables; TypeORM runs a pending migration whatever its timestamp).
    expect(await recorded('job_migrations')).toEqual(['ImportTables1764000008300', 'JobTables1796600001000']);
    expect(await sql(`SELECT agency_code, partnership FROM ${s}.agency_webhook_secrets`)).toEqual([{ agency_code: 'POLICE', partnership: 'north' }]);
    const secrets = new WebhookSecrets(test.db, config);
    expect(await secrets.reveal('POLICE', 'north')).toBe('old-police-hook-secret');
    await secrets.save('POLICE', 'south', 'south-police-hook-secret', new Date());
    expect(await secrets.reveal('POLICE', 'south')).toBe('south-police-hook-secret');
    expect(await sql(`SELECT key_id FROM ${s}.data_keys`)).toEqual([{ key_id: 'k1' }]);
    // Incident keys belong to no problem; every other key still names one.
    await sql(`INSERT INTO ${s}.data_keys (key_id, scope, problem_id, wrapped_key, created_at) VALUES ('i1', 'incident', NULL, '\\x00', now())`);
    await expect(sql(`INSERT INTO ${s}.data_keys (key_id, scope, problem_id, wrapped_key, created_at) VALUES ('k2', 'problem', NULL, '\\x00', now())`)).rejects.toThrow(/check/);
    await expect(sql(`INSERT INTO ${s}.data_keys (key_id, scope, problem_id, wrapped_key, created_at) VALUES ('k3', 'other', $1, '\\x00', now())`, [problemId])).rejects.toThrow(/check/);
    expect(await sql(`SELECT agency, partnership FROM ${s}.webhook_dead_letters`)).toEqual([{ agency: 'POLICE', partnership: null }]);
    await expect(sql(`DELETE FROM ${s}.subject_access_log`)).rejects.toThrow(/append-only/);

    await migrateSchema(test.db, config);
    expect(await recorded('personal_data_migrations')).toHaveLength(3);
  }, 60_000);
});
