import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal data in the `problems` projection: who raised each problem (its agency sees the
 * problem's subjects), when the retention erasure ran, and the people named on problems. Existing
 * rows get `raised_by_agency` from a rebuild of `problems`.
 */
export class PersonalData1764000003000 implements MigrationInterface {
  name = 'PersonalData1764000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE problems ADD COLUMN raised_by_agency text');
    await queryRunner.query('ALTER TABLE problems ADD COLUMN personal_data_erased_at timestamptz');
    // Personal columns are NULL once the subject is erased (by request or by retention).
    await queryRunner.query(`
      CREATE TABLE problem_subjects (
        id uuid PRIMARY KEY,
        problem_id uuid NOT NULL,
        partnership text NOT NULL,
        role text NOT NULL,
        name text,
        date_of_birth text,
        address text,
        notes text,
        added_at timestamptz NOT NULL,
        erased boolean NOT NULL,
        erased_at timestamptz,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX problem_subjects_problem_idx ON problem_subjects (problem_id, added_at, id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE problem_subjects');
    await queryRunner.query('ALTER TABLE problems DROP COLUMN personal_data_erased_at');
    await queryRunner.query('ALTER TABLE problems DROP COLUMN raised_by_agency');
  }
}
