import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open311 (evidence.md, "Open311"):
 * - `open311_clients`: each client's partnership, key prefix (looked up) and SHA-256 (compared), and
 *   whether it is revoked; never the key.
 * - `partnership_settings`: each partnership's Open311 jurisdictions, public descriptions and the
 *   services changed from their defaults (`{category: {category, reportable, name, description}}`).
 * - `open311_requests`: the incidents reported over Open311, with the client that posted them, their
 *   public status (`open`, `closed`) and FixMyStreet's extended status; `open311_problems` what
 *   those statuses need of the problems they are linked to; `open311_request_updates` one row per
 *   change of extended status.
 */
export class Open3111764000008400 implements MigrationInterface {
  name = 'Open3111764000008400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE open311_clients (
        client_id uuid PRIMARY KEY,
        partnership text NOT NULL,
        name text NOT NULL,
        external_id_attribute text,
        key_prefix text NOT NULL,
        key_hash text NOT NULL,
        revoked boolean NOT NULL,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX open311_clients_key_prefix ON open311_clients (key_prefix)');
    await queryRunner.query(`
      CREATE TABLE partnership_settings (
        partnership text PRIMARY KEY,
        open311_jurisdictions jsonb NOT NULL,
        public_descriptions boolean NOT NULL,
        services jsonb NOT NULL,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE open311_requests (
        incident_id uuid PRIMARY KEY,
        partnership text NOT NULL,
        client_id text NOT NULL,
        category text NOT NULL,
        lat double precision,
        lng double precision,
        description text,
        requested_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        triage text NOT NULL,
        dismiss_reason text,
        problem_id uuid,
        duplicate_of uuid,
        status text NOT NULL,
        extended_status text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX open311_requests_partnership_requested ON open311_requests (partnership, requested_at DESC, incident_id)');
    await queryRunner.query('CREATE INDEX open311_requests_problem ON open311_requests (problem_id) WHERE problem_id IS NOT NULL');
    await queryRunner.query('CREATE INDEX open311_requests_duplicate_of ON open311_requests (duplicate_of) WHERE duplicate_of IS NOT NULL');
    await queryRunner.query(`
      CREATE TABLE open311_problems (
        problem_id uuid PRIMARY KEY,
        open boolean NOT NULL,
        actions_agreed boolean NOT NULL,
        outcome text
      )`);
    await queryRunner.query(`
      CREATE TABLE open311_request_updates (
        update_id text PRIMARY KEY,
        incident_id uuid NOT NULL,
        client_id text NOT NULL,
        status text NOT NULL,
        updated_at timestamptz NOT NULL,
        description text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX open311_request_updates_client ON open311_request_updates (client_id, updated_at, update_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE open311_request_updates');
    await queryRunner.query('DROP TABLE open311_problems');
    await queryRunner.query('DROP TABLE open311_requests');
    await queryRunner.query('DROP TABLE partnership_settings');
    await queryRunner.query('DROP TABLE open311_clients');
  }
}
