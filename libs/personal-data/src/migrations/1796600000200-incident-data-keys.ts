import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incident keys: one data key per incident (key_id = the incident id), covering what its reporter
 * said and who they are (evidence.md, "Incidents"). An incident belongs to no problem, so its row
 * has no `problem_id`; every other row keeps one. The partial index serves the retention sweep,
 * which reads live incident keys oldest first.
 */
export class IncidentDataKeys1796600000200 implements MigrationInterface {
  name = 'IncidentDataKeys1796600000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE data_keys DROP CONSTRAINT IF EXISTS data_keys_scope_check');
    await queryRunner.query(`ALTER TABLE data_keys ADD CONSTRAINT data_keys_scope_check CHECK (scope IN ('problem', 'subject', 'incident'))`);
    await queryRunner.query('ALTER TABLE data_keys ALTER COLUMN problem_id DROP NOT NULL');
    await queryRunner.query(`ALTER TABLE data_keys ADD CONSTRAINT data_keys_problem_id_check CHECK ((problem_id IS NULL) = (scope = 'incident'))`);
    await queryRunner.query(`CREATE INDEX data_keys_live_incident_keys ON data_keys (created_at, key_id) WHERE scope = 'incident' AND erased_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX data_keys_live_incident_keys');
    await queryRunner.query('ALTER TABLE data_keys DROP CONSTRAINT data_keys_problem_id_check');
    await queryRunner.query(`DELETE FROM data_keys WHERE scope = 'incident'`);
    await queryRunner.query('ALTER TABLE data_keys ALTER COLUMN problem_id SET NOT NULL');
    await queryRunner.query('ALTER TABLE data_keys DROP CONSTRAINT data_keys_scope_check');
    await queryRunner.query(`ALTER TABLE data_keys ADD CONSTRAINT data_keys_scope_check CHECK (scope IN ('problem', 'subject'))`);
  }
}
