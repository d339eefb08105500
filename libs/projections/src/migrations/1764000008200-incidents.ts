import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The incident read models (evidence.md, "Incident read models"), none holding a personal field:
 * - `incident_points`: every incident with its status, flags, category, source, area, time and
 *   position (the triage list, suggestions, GeoJSON, counts by week). `occurred_on` is the local
 *   date it names (a date or month as given; an exact time's date in the counts' zone), `week` and
 *   `month` the dates starting its ISO week and calendar month (`week` null for month precision). Distance queries prefilter on the (lat, lng) index with a
 *   bounding box.
 * - `incident_counts_weekly` / `incident_counts_monthly`: incidents that count (not withdrawn,
 *   not duplicates, with an area) per partnership, area, category, source and period; rows reaching
 *   0 are deleted, so a rebuild gives the same rows.
 * - `incident_source_coverage`: per partnership and source, the latest `occurredAt` recorded, and
 *   whether the source reports live (Open311, console); `complete_until` is the end of the latest
 *   month a complete import declared (set by imports).
 */
export class Incidents1764000008200 implements MigrationInterface {
  name = 'Incidents1764000008200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE incident_points (
        id uuid PRIMARY KEY,
        partnership text NOT NULL,
        source text NOT NULL,
        channel text NOT NULL,
        category text NOT NULL,
        source_category text NOT NULL,
        status text NOT NULL,
        triage boolean NOT NULL,
        unmapped boolean NOT NULL,
        area_code text,
        occurred_at timestamptz NOT NULL,
        precision text NOT NULL,
        occurred_on date NOT NULL,
        week date,
        month date NOT NULL,
        lat double precision,
        lng double precision,
        problem_id uuid,
        duplicate_of uuid,
        import_id text,
        recorded_at timestamptz NOT NULL,
        revision integer NOT NULL,
        position text NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX incident_points_list ON incident_points (partnership, occurred_at DESC, id DESC)');
    await queryRunner.query('CREATE INDEX incident_points_status ON incident_points (partnership, status, occurred_at DESC, id DESC)');
    await queryRunner.query('CREATE INDEX incident_points_area ON incident_points (partnership, area_code, category, occurred_at)');
    await queryRunner.query('CREATE INDEX incident_points_position ON incident_points (lat, lng) WHERE lat IS NOT NULL');
    await queryRunner.query('CREATE INDEX incident_points_problem ON incident_points (problem_id) WHERE problem_id IS NOT NULL');
    await queryRunner.query(`
      CREATE TABLE incident_counts_weekly (
        partnership text NOT NULL,
        area_code text NOT NULL,
        category text NOT NULL,
        source text NOT NULL,
        week date NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (partnership, area_code, category, source, week)
      )`);
    await queryRunner.query(`
      CREATE TABLE incident_counts_monthly (
        partnership text NOT NULL,
        area_code text NOT NULL,
        category text NOT NULL,
        source text NOT NULL,
        month date NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (partnership, area_code, category, source, month)
      )`);
    await queryRunner.query(`
      CREATE TABLE incident_source_coverage (
        partnership text NOT NULL,
        source text NOT NULL,
        latest_occurred_at timestamptz NOT NULL,
        live boolean NOT NULL,
        complete_until date,
        PRIMARY KEY (partnership, source)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE incident_source_coverage');
    await queryRunner.query('DROP TABLE incident_counts_monthly');
    await queryRunner.query('DROP TABLE incident_counts_weekly');
    await queryRunner.query('DROP TABLE incident_points');
  }
}
