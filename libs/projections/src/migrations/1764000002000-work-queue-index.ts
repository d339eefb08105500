import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An agency's work queue without a status filter, soonest due first (the officer's default view). */
export class WorkQueueIndex1764000002000 implements MigrationInterface {
  name = 'WorkQueueIndex1764000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX actions_agency_due_idx ON actions (partnership, agency, due_by, id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX actions_agency_due_idx');
  }
}
