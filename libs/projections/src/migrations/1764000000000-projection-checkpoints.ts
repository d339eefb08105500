import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per projection: how far it has applied the log, and whether it is stuck. */
export class ProjectionCheckpoints1764000000000 implements MigrationInterface {
  name = 'ProjectionCheckpoints1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE projection_checkpoints (
        name text PRIMARY KEY,
        position text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'failed')),
        last_error text,
        error_position text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        events_applied bigint NOT NULL DEFAULT 0
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE projection_checkpoints');
  }
}
