import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tasking meetings, who attended and the problems tabled (the `meetings` projection). */
export class Meetings1764000000300 implements MigrationInterface {
  name = 'Meetings1764000000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE meetings (
        id uuid PRIMARY KEY,
        partnership text NOT NULL,
        group_code text NOT NULL,
        held_on text NOT NULL,
        held_at timestamptz NOT NULL,
        chair text NOT NULL,
        status text NOT NULL,
        minutes_note text,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX meetings_list_idx ON meetings (partnership, held_at DESC, id DESC)');
    await queryRunner.query('CREATE INDEX meetings_group_idx ON meetings (group_code, held_at DESC, id DESC)');
    await queryRunner.query(`
      CREATE TABLE meeting_attendees (
        meeting_id uuid NOT NULL,
        name text NOT NULL,
        agency text NOT NULL,
        position text NOT NULL,
        ordinal integer NOT NULL,
        PRIMARY KEY (meeting_id, name, agency)
      )`);
    await queryRunner.query(`
      CREATE TABLE meeting_problems (
        meeting_id uuid NOT NULL,
        problem_id uuid NOT NULL,
        position text NOT NULL,
        PRIMARY KEY (meeting_id, problem_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE meeting_problems');
    await queryRunner.query('DROP TABLE meeting_attendees');
    await queryRunner.query('DROP TABLE meetings');
  }
}
