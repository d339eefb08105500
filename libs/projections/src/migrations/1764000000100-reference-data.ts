import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Agencies, tasking groups and areas (the `reference-data` projection). */
export class ReferenceData1764000000100 implements MigrationInterface {
  name = 'ReferenceData1764000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE agencies (
        code text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        active boolean NOT NULL,
        webhook_url text,
        deactivation_reason text,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE tasking_groups (
        code text PRIMARY KEY,
        partnership text NOT NULL,
        name text NOT NULL,
        area_codes text[] NOT NULL,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX tasking_groups_partnership_idx ON tasking_groups (partnership, code)');
    await queryRunner.query(`
      CREATE TABLE areas (
        code text PRIMARY KEY,
        partnership text NOT NULL,
        name text NOT NULL,
        centroid_lat double precision NOT NULL,
        centroid_lng double precision NOT NULL,
        boundary jsonb,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX areas_partnership_idx ON areas (partnership, code)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE areas');
    await queryRunner.query('DROP TABLE tasking_groups');
    await queryRunner.query('DROP TABLE agencies');
  }
}
