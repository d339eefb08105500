import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over problems (`GET /v1/problems?q=`): an expression index over the title, the
 * description and the area code, English stemming. Text replaced by the retention erasure
 * (`[erased]`) is left out, so nothing erased can be found. An expression rather than a stored
 * column: the projector writes whole rows (`SELECT *`), which a generated column would refuse,
 * and a rebuild's `LIKE … INCLUDING ALL` copies the index with the table. The query side
 * (`problemSearchMatch` in libs/projections) repeats this expression exactly, so the planner can use it.
 */
export class ProblemSearch1764000006100 implements MigrationInterface {
  name = 'ProblemSearch1764000006100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX problems_search_idx ON problems USING gin ((
        setweight(to_tsvector('english'::regconfig, coalesce(nullif(title, '[erased]'), '')), 'A')
        || to_tsvector('english'::regconfig, coalesce(nullif(description, '[erased]'), ''))
        || to_tsvector('english'::regconfig, replace(area_code, '-', ' '))
      ))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX problems_search_idx');
  }
}
