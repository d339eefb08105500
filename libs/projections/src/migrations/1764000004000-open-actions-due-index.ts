import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The overdue work queue (`?overdue=true`: open actions due by now, soonest first) without walking
 * past every discharged or cancelled action, which most of a partnership's history is.
 */
export class OpenActionsDueIndex1764000004000 implements MigrationInterface {
  name = 'OpenActionsDueIndex1764000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX actions_open_due_idx ON actions (partnership, due_by, id) WHERE status IN ('unclaimed', 'claimed', 'declined')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX actions_open_due_idx');
  }
}
