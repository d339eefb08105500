import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables of personal-data protection, outside the event log and outside the read models (a
 * rebuild never touches them; nothing here can be derived from the log):
 *
 * - `data_keys`: one AES-256 data key per subject (key_id = the subject id) and per problem
 *   (key_id random; a new one if the problem gets text again after its key was erased), each
 *   wrapped (AES-256-GCM) under a key derived from SECRETS_KEY. Erasure sets `wrapped_key` NULL
 *   and `erased_at`: the row stays as the record that the key existed and when it was destroyed.
 * - `action_problem`: which problem an action belongs to (its events are encrypted under the
 *   problem's key), written when its ActionAssigned is appended; immutable.
 * - `subject_access_log`: every time subjects' personal fields were shown, to whom and why;
 *   append-only (a trigger refuses UPDATE, DELETE and TRUNCATE).
 * - `agency_webhook_secrets`: agencies' webhook secrets, encrypted (webhook-secrets.ts).
 *
 * `IF NOT EXISTS` throughout: a deployment from before these migrations has the tables already,
 * created at start in the same shapes (the webhook secrets maybe in an older one: the next migration).
 */
export class PersonalDataTables1796600000000 implements MigrationInterface {
  name = 'PersonalDataTables1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS data_keys (
        key_id text PRIMARY KEY,
        scope text NOT NULL CHECK (scope IN ('problem', 'subject')),
        problem_id uuid NOT NULL,
        wrapped_key bytea,
        created_at timestamptz NOT NULL,
        erased_at timestamptz,
        CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX IF NOT EXISTS data_keys_live_problem_key ON data_keys (problem_id) WHERE scope = 'problem' AND erased_at IS NULL`);
    await queryRunner.query('CREATE INDEX IF NOT EXISTS data_keys_problem_idx ON data_keys (problem_id)');
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS action_problem (
        action_id uuid PRIMARY KEY,
        problem_id uuid NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS subject_access_log (
        id bigserial PRIMARY KEY,
        problem_id uuid NOT NULL,
        subject_ids uuid[] NOT NULL,
        accessed_at timestamptz NOT NULL,
        user_id text NOT NULL,
        user_name text NOT NULL,
        agency text NOT NULL,
        roles text[] NOT NULL,
        route text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX IF NOT EXISTS subject_access_log_problem_idx ON subject_access_log (problem_id, id DESC)');
    // The function in the table's own schema (search_path names it), as the trigger that calls it.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION subject_access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'subject_access_log is append-only';
      END
      $$`);
    await queryRunner.query(`
      CREATE OR REPLACE TRIGGER subject_access_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON subject_access_log
        FOR EACH STATEMENT EXECUTE FUNCTION subject_access_log_append_only()`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS agency_webhook_secrets (
        agency_code text NOT NULL,
        partnership text NOT NULL,
        ciphertext bytea NOT NULL,
        iv bytea NOT NULL,
        tag bytea NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (agency_code, partnership)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE agency_webhook_secrets');
    await queryRunner.query('DROP TABLE subject_access_log');
    await queryRunner.query('DROP FUNCTION subject_access_log_append_only()');
    await queryRunner.query('DROP TABLE action_problem');
    await queryRunner.query('DROP TABLE data_keys');
  }
}
