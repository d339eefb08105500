import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasking-group codes are per partnership: two partnerships may each have a group `east-group`.
 * A group row is keyed by its stream's id (`<partnership>.<code>`; the bare code for groups
 * registered before), and (partnership, code) is unique.
 */
export class TaskingGroupCodesPerPartnership1764000005100 implements MigrationInterface {
  name = 'TaskingGroupCodesPerPartnership1764000005100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE tasking_groups ADD COLUMN id text');
    await queryRunner.query('UPDATE tasking_groups SET id = code');
    await queryRunner.query('ALTER TABLE tasking_groups ALTER COLUMN id SET NOT NULL, DROP CONSTRAINT tasking_groups_pkey, ADD PRIMARY KEY (id)');
    await queryRunner.query('DROP INDEX tasking_groups_partnership_idx');
    await queryRunner.query('CREATE UNIQUE INDEX tasking_groups_partnership_idx ON tasking_groups (partnership, code)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX tasking_groups_partnership_idx');
    await queryRunner.query('CREATE INDEX tasking_groups_partnership_idx ON tasking_groups (partnership, code)');
    await queryRunner.query('ALTER TABLE tasking_groups DROP CONSTRAINT tasking_groups_pkey, ADD PRIMARY KEY (code)');
    await queryRunner.query('ALTER TABLE tasking_groups DROP COLUMN id');
  }
}
