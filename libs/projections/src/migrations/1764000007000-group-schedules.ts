import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A tasking group's schedule (`{everyDays, from, time?}`, none until set) and its standing members (`[{name, agency, role?}]`). */
export class GroupSchedules1764000007000 implements MigrationInterface {
  name = 'GroupSchedules1764000007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tasking_groups ADD COLUMN schedule jsonb, ADD COLUMN members jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE tasking_groups DROP COLUMN schedule, DROP COLUMN members');
  }
}
