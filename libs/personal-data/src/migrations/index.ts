import type { MigrationSet } from '@tasking/projections';
import { PersonalDataTables1796600000000 } from './1796600000000-personal-data-tables';
import { webhookSecretsPerPartnership, type WebhookSecretsUpgradeConfig } from './1796600000100-webhook-secrets-per-partnership';
// Incidents
import { IncidentDataKeys1796600000200 } from './1796600000200-incident-data-keys';

/** The personal-data tables' migrations, recorded in `personal_data_migrations` (the upgrade of webhook secrets needs the key and the default partnership). */
export function personalDataMigrations(config: WebhookSecretsUpgradeConfig): MigrationSet {
  return {
    name: 'personal-data',
    table: 'personal_data_migrations',
    migrations: [
      PersonalDataTables1796600000000,
      webhookSecretsPerPartnership(config),
      // Incidents
      IncidentDataKeys1796600000200,
    ],
  };
}
