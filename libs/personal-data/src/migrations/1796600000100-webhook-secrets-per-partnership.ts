import { Logger } from '@nestjs/common';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { Config } from '@tasking/shared';
import { decryptWebhookSecret, encryptWebhookSecret, webhookSecretsKey } from '../webhook-secrets';

interface LegacySecretRow {
  agency_code: string;
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

/** What the upgrade needs of the configuration: the key the secrets are encrypted with, and whose they become. */
export type WebhookSecretsUpgradeConfig = Pick<Config, 'secretsKey' | 'dataDir' | 'defaultPartnership'>;

/**
 * Webhook secrets stored before they were per partnership (one per agency, keyed by the agency
 * code, authenticated by it alone) become the deployment's default partnership's, as their
 * webhook URLs are (the `AgencyWebhookSet` events without a partnership): re-encrypted with the
 * new authenticated data and keyed by agency and partnership, in the migration's transaction.
 * A table that has the partnership column already (created in the current shape) is left alone.
 */
export function webhookSecretsPerPartnership(config: WebhookSecretsUpgradeConfig): new () => MigrationInterface {
  return class WebhookSecretsPerPartnership1796600000100 implements MigrationInterface {
    name = 'WebhookSecretsPerPartnership1796600000100';

    async up(queryRunner: QueryRunner): Promise<void> {
      const columns: unknown[] = await queryRunner.query(
        `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'agency_webhook_secrets' AND column_name = 'partnership'`,
      );
      if (columns.length > 0) return;
      const logger = new Logger('webhook-secrets');
      const partnership = config.defaultPartnership;
      let key: Buffer | undefined;
      await queryRunner.query('ALTER TABLE agency_webhook_secrets ADD COLUMN partnership text');
      const rows: LegacySecretRow[] = await queryRunner.query('SELECT agency_code, ciphertext, iv, tag FROM agency_webhook_secrets');
      for (const row of rows) {
        key ??= webhookSecretsKey(config.secretsKey, config.dataDir);
        let upgraded: Omit<LegacySecretRow, 'agency_code'>;
        try {
          upgraded = encryptWebhookSecret(key, row.agency_code, partnership, decryptWebhookSecret(key, row.agency_code, null, row));
        } catch {
          // Not readable with this key before the upgrade either: kept as it is (deliveries to it fail as they did).
          logger.warn(`the webhook secret of ${row.agency_code} does not decrypt with this SECRETS_KEY: set it again`);
          upgraded = row;
        }
        await queryRunner.query('UPDATE agency_webhook_secrets SET partnership = $2, ciphertext = $3, iv = $4, tag = $5 WHERE agency_code = $1', [
          row.agency_code,
          partnership,
          upgraded.ciphertext,
          upgraded.iv,
          upgraded.tag,
        ]);
      }
      await queryRunner.query(
        'ALTER TABLE agency_webhook_secrets ALTER COLUMN partnership SET NOT NULL, DROP CONSTRAINT agency_webhook_secrets_pkey, ADD PRIMARY KEY (agency_code, partnership)',
      );
      logger.log(`webhook secrets are per partnership now: ${rows.length} existing secret(s) serve partnership ${partnership}`);
    }

    async down(): Promise<void> {
      throw new Error('webhook secrets cannot go back to one per agency: a partnership each is authenticated into its ciphertext');
    }
  };
}
