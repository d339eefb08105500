/**
 * Re-wraps every personal-data key and re-encrypts every agency webhook secret from an old
 * SECRETS_KEY to the one now in SECRETS_KEY, in one transaction (all or nothing):
 *
 *   OLD_SECRETS_KEY=<old base64 key> SECRETS_KEY=<new base64 key> DATABASE_URL=... \
 *     npm run rotate-secrets-key -- --from-env OLD_SECRETS_KEY
 *   SECRETS_KEY=<new> npm run rotate-secrets-key -- --from-dev-key     (from the development key in DATA_DIR)
 *
 * Stop every API and worker process first and start them with the new SECRETS_KEY after: a
 * process still holding the old key would wrap new keys with it. The event log is not touched
 * (its fields are encrypted under data keys, which do not change); nothing is re-encrypted but
 * the keys themselves. A wrong old key changes nothing: the first key it cannot open aborts.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DataFolderLockedError, openDatabase, type Database } from '@tasking/event-store';
import {
  dataKeysKek,
  decryptWebhookSecret,
  developmentSecretsKey,
  quoteIdent,
  unwrapKey,
  webhookSecretAad,
  webhookSecretsKeyFrom,
  withClient,
  wrapKey,
} from '@tasking/personal-data';

export interface RotationResult {
  dataKeys: number;
  webhookSecrets: number;
}

export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}

/** Old and new SECRETS_KEY material (the raw 32 bytes). */
export async function rotateSecretsKey(db: Database, from: Buffer, to: Buffer): Promise<RotationResult> {
  if (from.length !== 32 || to.length !== 32) throw new RotationError('both keys must be 32 bytes');
  if (from.equals(to)) throw new RotationError('the old and the new key are the same');
  const s = quoteIdent(db.schema);
  const [oldKek, newKek] = [dataKeysKek(from), dataKeysKek(to)];
  const [oldWebhookKey, newWebhookKey] = [webhookSecretsKeyFrom(from), webhookSecretsKeyFrom(to)];
  return withClient(db, async (client) => {
    await client.query('BEGIN');
    try {
      const exists = async (table: string) => (await client.query<{ found: string | null }>(`SELECT to_regclass($1) AS found`, [`${s}.${table}`])).rows[0]?.found != null;
      // A database no process has started on yet has no tables: nothing to rotate.
      const keys = (await exists('data_keys'))
        ? await client.query<{ key_id: string; wrapped_key: Buffer }>(`SELECT key_id, wrapped_key FROM ${s}.data_keys WHERE wrapped_key IS NOT NULL ORDER BY key_id FOR UPDATE`)
        : { rows: [] };
      for (const { key_id, wrapped_key } of keys.rows) {
        let key: Buffer;
        try {
          key = unwrapKey(oldKek, key_id, wrapped_key);
        } catch {
          throw new RotationError(`the old key does not open data key ${key_id}: nothing was changed`);
        }
        await client.query(`UPDATE ${s}.data_keys SET wrapped_key = $2 WHERE key_id = $1`, [key_id, wrapKey(newKek, key_id, key)]);
      }
      let webhookSecrets = 0;
      if (await exists('agency_webhook_secrets')) {
        // A table from before secrets were per partnership has no partnership column (its rows are authenticated by the agency alone).
        const perPartnership =
          (
            await client.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'agency_webhook_secrets' AND column_name = 'partnership'`, [
              db.schema,
            ])
          ).rows.length > 0;
        const secrets = await client.query<{ agency_code: string; partnership: string | null; ciphertext: Buffer; iv: Buffer; tag: Buffer }>(
          `SELECT agency_code, ${perPartnership ? 'partnership' : 'NULL::text AS partnership'}, ciphertext, iv, tag FROM ${s}.agency_webhook_secrets
            ORDER BY agency_code${perPartnership ? ', partnership' : ''} FOR UPDATE`,
        );
        for (const row of secrets.rows) {
          const name = row.partnership === null ? row.agency_code : `${row.agency_code} (partnership ${row.partnership})`;
          let secret: Buffer;
          try {
            secret = decryptWebhookSecret(oldWebhookKey, row.agency_code, row.partnership, row);
          } catch {
            throw new RotationError(`the old key does not open the webhook secret of ${name}: nothing was changed`);
          }
          const iv = randomBytes(12);
          const cipher = createCipheriv('aes-256-gcm', newWebhookKey, iv);
          cipher.setAAD(webhookSecretAad(row.agency_code, row.partnership));
          const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
          await client.query(
            `UPDATE ${s}.agency_webhook_secrets SET ciphertext = $2, iv = $3, tag = $4 WHERE agency_code = $1${perPartnership ? ' AND partnership = $5' : ''}`,
            [row.agency_code, ciphertext, iv, cipher.getAuthTag(), ...(perPartnership ? [row.partnership] : [])],
          );
          webhookSecrets += 1;
        }
      }
      await client.query('COMMIT');
      return { dataKeys: keys.rows.length, webhookSecrets };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}

const decodeKey = (name: string, value: string | undefined): Buffer => {
  if (value === undefined || value.trim() === '') throw new RotationError(`${name} is not set`);
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) throw new RotationError(`${name} must be 32 bytes, base64-encoded`);
  return key;
};

/** The old and new key material named by the command line and the environment. */
export function rotationKeys(argv: string[], env: Record<string, string | undefined>): { from: Buffer; to: Buffer } {
  const { values } = parseArgs({ args: argv, options: { 'from-env': { type: 'string' }, 'from-dev-key': { type: 'boolean' } } });
  const to = decodeKey('SECRETS_KEY', env['SECRETS_KEY']);
  if (values['from-env'] !== undefined && values['from-dev-key']) throw new RotationError('give --from-env <VARIABLE> or --from-dev-key, not both');
  if (values['from-env'] !== undefined) return { from: decodeKey(values['from-env'], env[values['from-env']]), to };
  if (values['from-dev-key']) return { from: developmentSecretsKey(env['DATA_DIR'] ?? './data'), to };
  throw new RotationError('name the old key: --from-env <VARIABLE holding it> or --from-dev-key');
}

async function main(): Promise<void> {
  let keys: { from: Buffer; to: Buffer };
  try {
    keys = rotationKeys(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`rotate-secrets-key: ${error instanceof Error ? error.message : String(error)}`);
    console.error('usage: SECRETS_KEY=<new> npm run rotate-secrets-key -- --from-env OLD_SECRETS_KEY   (or --from-dev-key)');
    process.exit(2);
  }
  let db: Database;
  try {
    db = await openDatabase({ databaseUrl: process.env['DATABASE_URL'] || undefined, dataDir: process.env['DATA_DIR'] ?? './data' });
  } catch (error) {
    if (!(error instanceof DataFolderLockedError)) throw error;
    console.error(`rotate-secrets-key: ${error.message}`);
    process.exit(4);
  }
  try {
    const result = await rotateSecretsKey(db, keys.from, keys.to);
    console.log(`re-wrapped ${result.dataKeys} personal-data keys and ${result.webhookSecrets} webhook secrets under the new SECRETS_KEY`);
  } catch (error) {
    console.error(`rotate-secrets-key: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

if (require.main === module) void main();
