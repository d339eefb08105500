import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type pg from 'pg';
import type { Database } from '@tasking/event-store';
import type { Config } from '@tasking/shared';

const KEY_INFO = 'tasking-ledger/agency-webhook-secrets/v1';

/**
 * The key encrypting webhook secrets at rest. Derived (HKDF-SHA256) from SECRETS_KEY; when
 * SECRETS_KEY is unset, from a DEVELOPMENT key generated once into DATA_DIR (like the dev JWT
 * secret of the embedded quick start). A deployment with several instances, or any production
 * deployment, must set SECRETS_KEY: instances with different DATA_DIRs cannot read each other's
 * secrets, and a key kept beside the data protects nothing against someone holding the disk.
 */
export function webhookSecretsKey(secretsKey: string | undefined, dataDir: string): Buffer {
  return webhookSecretsKeyFrom(secretsKeyMaterial(secretsKey, dataDir));
}

/** The webhook-secrets key derived from given SECRETS_KEY material (key rotation re-wraps with old and new). */
export const webhookSecretsKeyFrom = (material: Buffer): Buffer => deriveSecretsKey(material, KEY_INFO);

/** A purpose-bound key (HKDF-SHA256) from SECRETS_KEY material: one per purpose, so no key serves two. */
export const deriveSecretsKey = (material: Buffer, info: string): Buffer => Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), info, 32));

/** SECRETS_KEY (base64, 32 bytes), or without it the development key generated once into DATA_DIR. */
export function secretsKeyMaterial(secretsKey: string | undefined, dataDir: string): Buffer {
  return secretsKey !== undefined ? Buffer.from(secretsKey, 'base64') : developmentSecretsKey(dataDir);
}

export function developmentSecretsKey(dataDir: string): Buffer {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'dev-secrets-key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}

interface SecretRow {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

/**
 * The authenticated data of a secret: its agency and partnership, so a row copied onto another
 * agency or partnership does not decrypt. `null`: a row written before secrets were per
 * partnership (authenticated by the agency code alone), which only the upgrade migration and key rotation read.
 */
export const webhookSecretAad = (agencyCode: string, partnership: string | null): Buffer =>
  Buffer.from(partnership === null ? agencyCode : `${agencyCode}\n${partnership}`, 'utf8');

export function encryptWebhookSecret(key: Buffer, agencyCode: string, partnership: string, secret: Buffer): SecretRow {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(webhookSecretAad(agencyCode, partnership));
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  return { ciphertext, iv, tag: cipher.getAuthTag() };
}

export function decryptWebhookSecret(key: Buffer, agencyCode: string, partnership: string | null, row: SecretRow): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, row.iv);
  decipher.setAAD(webhookSecretAad(agencyCode, partnership));
  decipher.setAuthTag(row.tag);
  return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]);
}

/**
 * Agencies' webhook secrets, one per agency and partnership (each partnership's webhook of an
 * agency has its own): write-only through the API, never in an event, kept outside the log in
 * `agency_webhook_secrets` encrypted with AES-256-GCM (a fresh 96-bit IV per write; the agency code
 * and the partnership are authenticated data).
 *
 * Secrets stored before they were per partnership (one per agency) are upgraded by a migration
 * (`migrations/1796600000100-webhook-secrets-per-partnership.ts`).
 */
export class WebhookSecrets {
  private readonly logger = new Logger('webhook-secrets');
  private key: Buffer | undefined;

  constructor(
    private readonly db: Database,
    private readonly config: Pick<Config, 'secretsKey' | 'dataDir' | 'databaseUrl'>,
  ) {}

  private get table(): string {
    return `"${this.db.schema.replace(/"/g, '""')}".agency_webhook_secrets`;
  }

  /** Stores (or replaces) an agency's secret for a partnership; a write older than the stored one leaves it. */
  async save(agencyCode: string, partnership: string, secret: string, at: Date): Promise<void> {
    const row = encryptWebhookSecret(this.encryptionKey(), agencyCode, partnership, Buffer.from(secret, 'utf8'));
    await this.query(
      `INSERT INTO ${this.table} (agency_code, partnership, ciphertext, iv, tag, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (agency_code, partnership) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, tag = EXCLUDED.tag, updated_at = EXCLUDED.updated_at
       WHERE ${this.table}.updated_at <= EXCLUDED.updated_at`,
      [agencyCode, partnership, row.ciphertext, row.iv, row.tag, at],
    );
  }

  /** The plain secret of an agency's webhook for a partnership, for signing deliveries; undefined when none is stored. Never for an HTTP answer. */
  async reveal(agencyCode: string, partnership: string): Promise<string | undefined> {
    const { rows } = await this.query<SecretRow>(`SELECT ciphertext, iv, tag FROM ${this.table} WHERE agency_code = $1 AND partnership = $2`, [
      agencyCode,
      partnership,
    ]);
    const row = rows[0];
    if (!row) return undefined;
    return decryptWebhookSecret(this.encryptionKey(), agencyCode, partnership, row).toString('utf8');
  }

  private encryptionKey(): Buffer {
    if (!this.key) {
      const { secretsKey, dataDir, databaseUrl } = this.config;
      if (secretsKey === undefined && databaseUrl !== undefined) {
        this.logger.warn(`SECRETS_KEY is unset: webhook secrets are encrypted with a development key kept in ${dataDir}`);
      }
      this.key = webhookSecretsKey(secretsKey, dataDir);
    }
    return this.key;
  }

  /** One statement on a pooled session, released cleanly (the embedded pool has one session only). */
  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    const client = await this.db.pool.connect();
    try {
      const result = await client.query<R>(text, values);
      client.release();
      return result;
    } catch (error) {
      client.release();
      throw error;
    }
  }
}
