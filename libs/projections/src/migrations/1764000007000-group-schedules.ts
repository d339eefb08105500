import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `tasking_group_schedules`: how a tasking group meets, a row per group that set either: its
 * schedule (`{everyDays, from, time?}`, null until set) and its standing members
 * (`[{name, agency, role?}]`). Keyed by the group's row id in `tasking_groups`.
 */
export class GroupSchedules1764000007000 implements MigrationInterface {
  name = 'GroupSchedules1764000007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tasking_group_schedules (
        id text PRIMARY KEY,
        schedule jsonb,
        members jsonb NOT NULL,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tasking_group_schedules');
  }
}
