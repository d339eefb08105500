import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sources`: a partnership's registered sources of incidents (the built-in `open311` has no row),
 * keyed by the stream's id `<partnership>.<code>`. Areas gain their LSOA codes (upper-case),
 * neighbours and external code; areas registered before have none.
 */
export class SourcesAndAreaLsoas1764000008100 implements MigrationInterface {
  name = 'SourcesAndAreaLsoas1764000008100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sources (
        id text PRIMARY KEY,
        code text NOT NULL,
        partnership text NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        triage boolean NOT NULL,
        category_map jsonb NOT NULL,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX sources_partnership_code_idx ON sources (partnership, code)');
    await queryRunner.query(`ALTER TABLE areas ADD COLUMN lsoa_codes text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE areas ADD COLUMN neighbours text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query('ALTER TABLE areas ADD COLUMN external_code text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE areas DROP COLUMN external_code');
    await queryRunner.query('ALTER TABLE areas DROP COLUMN neighbours');
    await queryRunner.query('ALTER TABLE areas DROP COLUMN lsoa_codes');
    await queryRunner.query('DROP TABLE sources');
  }
}
