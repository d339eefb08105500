import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type pg from 'pg';
import { RUNTIME } from '../tokens';
import type { Runtime } from '../runtime';

const KEY_INFO = 'tasking-ledger/agency-webhook-secrets/v1';
const ALREADY_EXISTS = new Set(['42P07', '23505']); // duplicate table; a concurrent CREATE racing on pg_type

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
 * Agencies' webhook secrets: write-only through the API, never in an event, kept outside the log
 * in `agency_webhook_secrets` encrypted with AES-256-GCM (a fresh 96-bit IV per write; the agency
 * code is authenticated data, so a row copied onto another agency does not decrypt).
 */
@Injectable()
export class WebhookSecrets implements OnModuleInit {
  private readonly logger = new Logger('webhook-secrets');
  private key: Buffer | undefined;

  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  private get table(): string {
    return `"${this.runtime.db.schema.replace(/"/g, '""')}".agency_webhook_secrets`;
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        agency_code text PRIMARY KEY,
        ciphertext bytea NOT NULL,
        iv bytea NOT NULL,
        tag bytea NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    } catch (error) {
      if (!ALREADY_EXISTS.has(String((error as { code?: unknown }).code))) throw error;
    }
  }

  /** Stores (or replaces) an agency's secret; a write older than the stored one leaves it. */
  async save(agencyCode: string, secret: string, at: Date): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey(), iv);
    cipher.setAAD(Buffer.from(agencyCode, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    await this.query(
      `INSERT INTO ${this.table} (agency_code, ciphertext, iv, tag, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (agency_code) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, iv = EXCLUDED.iv, tag = EXCLUDED.tag, updated_at = EXCLUDED.updated_at
       WHERE ${this.table}.updated_at <= EXCLUDED.updated_at`,
      [agencyCode, ciphertext, iv, cipher.getAuthTag(), at],
    );
  }

  /** The plain secret, for signing deliveries; undefined when none is stored. Never for an HTTP answer. */
  async reveal(agencyCode: string): Promise<string | undefined> {
    const { rows } = await this.query<SecretRow>(`SELECT ciphertext, iv, tag FROM ${this.table} WHERE agency_code = $1`, [agencyCode]);
    const row = rows[0];
    if (!row) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey(), row.iv);
    decipher.setAAD(Buffer.from(agencyCode, 'utf8'));
    decipher.setAuthTag(row.tag);
    return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]).toString('utf8');
  }

  private encryptionKey(): Buffer {
    if (!this.key) {
      const { secretsKey, dataDir, databaseUrl } = this.runtime.config;
      if (secretsKey === undefined && databaseUrl !== undefined) {
        this.logger.warn(`SECRETS_KEY is unset: webhook secrets are encrypted with a development key kept in ${dataDir}`);
      }
      this.key = webhookSecretsKey(secretsKey, dataDir);
    }
    return this.key;
  }

  /** One statement on a pooled session, released cleanly (the embedded pool has one session only). */
  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    const client = await this.runtime.db.pool.connect();
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
