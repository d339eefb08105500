import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An attendee is present or sent apologies; a deputy names the member they attend for. Earlier records were all present. */
export class AttendanceApologies1764000007100 implements MigrationInterface {
  name = 'AttendanceApologies1764000007100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE meeting_attendees ADD COLUMN status text NOT NULL DEFAULT 'present', ADD COLUMN deputising_for text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE meeting_attendees DROP COLUMN status, DROP COLUMN deputising_for');
  }
}
