import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An agency's webhook URL for each partnership that set one (`AgencyWebhookSet` with a
 * partnership), by partnership code. `webhook_url` keeps the URL set before webhooks were per
 * partnership, which serves the default partnership only.
 */
export class AgencyWebhooksPerPartnership1764000005000 implements MigrationInterface {
  name = 'AgencyWebhooksPerPartnership1764000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE agencies ADD COLUMN webhook_urls jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE agencies DROP COLUMN webhook_urls');
  }
}
