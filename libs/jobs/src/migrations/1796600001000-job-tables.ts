import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the jobs finished, kept in the read-model database beside the read models (not in the
 * log, and not derived from it: these record side effects that happened). Consumers look here
 * before doing anything, so a job run twice (Redis lost its acknowledgement, a stalled job was
 * retried, the reactor re-added a trimmed job) has its effect once.
 *
 * `IF NOT EXISTS` throughout: a deployment from before these migrations has the tables already,
 * created at start in the same shapes (its dead letters maybe without their partnership column).
 */
export class JobTables1796600001000 implements MigrationInterface {
  name = 'JobTables1796600001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS job_reactor_checkpoints (
        name text PRIMARY KEY,
        position text NOT NULL DEFAULT '',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS webhook_deliveries (
        event_id uuid NOT NULL,
        agency text NOT NULL,
        event_type text NOT NULL,
        transport text NOT NULL CHECK (transport IN ('webhook', 'log')),
        url text,
        status_code integer,
        attempts integer NOT NULL,
        acknowledged_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, agency)
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS webhook_dead_letters (
        event_id uuid NOT NULL,
        agency text NOT NULL,
        event_type text NOT NULL,
        url text,
        attempts integer NOT NULL,
        reason text NOT NULL,
        failed_at timestamptz NOT NULL,
        PRIMARY KEY (event_id, agency)
      )`);
    await queryRunner.query('CREATE INDEX IF NOT EXISTS webhook_dead_letters_failed_idx ON webhook_dead_letters (failed_at DESC, event_id, agency)');
    // The event's partnership, for listing each partnership's letters to its admins only (null in letters written before).
    await queryRunner.query('ALTER TABLE webhook_dead_letters ADD COLUMN IF NOT EXISTS partnership text');
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS escalations (
        action_id uuid NOT NULL,
        due_by_revision integer NOT NULL,
        due_by timestamptz NOT NULL,
        outcome text NOT NULL,
        done_at timestamptz NOT NULL,
        PRIMARY KEY (action_id, due_by_revision)
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS meeting_packs (
        meeting_id uuid PRIMARY KEY,
        partnership text NOT NULL,
        position text NOT NULL,
        generated_at timestamptz NOT NULL,
        pack jsonb NOT NULL,
        html text NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['meeting_packs', 'escalations', 'webhook_dead_letters', 'webhook_deliveries', 'job_reactor_checkpoints']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
