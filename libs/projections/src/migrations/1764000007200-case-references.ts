import type { MigrationInterface, QueryRunner } from 'typeorm';

const SEARCH_WITHOUT_REFERENCE = `
  setweight(to_tsvector('english'::regconfig, coalesce(nullif(title, '[erased]'), '')), 'A')
  || to_tsvector('english'::regconfig, coalesce(nullif(description, '[erased]'), ''))
  || to_tsvector('english'::regconfig, replace(area_code, '-', ' '))`;

/**
 * Case references (`SAFE-2026-0142`, `SAFE-2026-0142/3`) on problems and actions, null for those
 * raised before references; the partnerships' counters that issue them (`reference_counters`, not
 * a projection: `SqlReferenceNumbers`); and the search index again, now with the problem's reference in it:
 * whole (`SAFE-2026-0142`, as the query parser splits it) and in parts (`0142`), without stemming.
 * `PROBLEM_SEARCH_DOCUMENT` in libs/projections repeats the expression exactly.
 */
export class CaseReferences1764000007200 implements MigrationInterface {
  name = 'CaseReferences1764000007200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE reference_counters (partnership text NOT NULL, year integer NOT NULL, issued integer NOT NULL, PRIMARY KEY (partnership, year))');
    await queryRunner.query('ALTER TABLE problems ADD COLUMN reference text');
    await queryRunner.query('ALTER TABLE actions ADD COLUMN reference text');
    await queryRunner.query('DROP INDEX problems_search_idx');
    await queryRunner.query(`
      CREATE INDEX problems_search_idx ON problems USING gin ((${SEARCH_WITHOUT_REFERENCE}
        || setweight(to_tsvector('simple'::regconfig, coalesce(reference, '')) || to_tsvector('simple'::regconfig, replace(coalesce(reference, ''), '-', ' ')), 'A')
      ))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX problems_search_idx');
    await queryRunner.query(`CREATE INDEX problems_search_idx ON problems USING gin ((${SEARCH_WITHOUT_REFERENCE}))`);
    await queryRunner.query('ALTER TABLE actions DROP COLUMN reference');
    await queryRunner.query('ALTER TABLE problems DROP COLUMN reference');
    await queryRunner.query('DROP TABLE reference_counters');
  }
}
