import { createCipheriv, randomBytes } from 'node:crypto';
import { openDatabase } from '@tasking/event-store';
import { WebhookSecrets, webhookSecretsKeyFrom } from '@tasking/personal-data';
import { RotationError, rotateSecretsKey, rotationKeys } from '../../apps/api/src/personal-data/rotate-secrets-key';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from '../support/test-database';
import { people, problemBody, registerReferenceData } from './support/fixtures';
import { NORTH, SOUTH } from './support/command-app';
import { startObservedApp } from './support/personal-data-app';

/** `npm run rotate-secrets-key`: every data key and webhook secret re-wrapped from the old SECRETS_KEY to the new, all or nothing. */
describe('rotating SECRETS_KEY (real PostgreSQL)', () => {
  const schema = freshSchema();
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const now = new Date('2025-04-01T09:00:00Z');
  let problemId: string;

  afterAll(() => dropSchema(schema));

  const keyRows = async () => {
    const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir: '', schema });
    try {
      return (await db.pool.query(`SELECT key_id, wrapped_key FROM "${schema}".data_keys ORDER BY key_id`)).rows as { key_id: string; wrapped_key: Buffer | null }[];
    } finally {
      await db.close();
    }
  };

  it('re-wraps every data key and webhook secret; the service reads everything with the new key', async () => {
    const before = await startObservedApp({ now, schema, keepSchema: true, secretsKey: oldKey.toString('base64') });
    const p = await people(before);
    await registerReferenceData(before, p);
    expect((await before.put('/v1/agencies/POLICE/webhook', { token: p.admin, body: { webhookUrl: 'https://police.example/hooks', webhookSecret: 's3cret-police-hook-0001-with-enough-length', partnership: NORTH } })).status).toBe(200);
    problemId = (await before.post('/v1/problems', { token: p.inspector, body: problemBody({ description: 'Rotated description' }) })).body.id;
    const added = await before.post(`/v1/problems/${problemId}/subjects`, { token: p.inspector, body: { role: 'victim', name: 'Rotated Person' } });
    expect(added.status).toBe(201);
    await before.close();
    const wrappedBefore = await keyRows();
    expect(wrappedBefore).toHaveLength(2); // the problem's key and the subject's

    const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir: '', schema });
    try {
      // A wrong old key opens nothing and changes nothing.
      await expect(rotateSecretsKey(db, randomBytes(32), newKey)).rejects.toBeInstanceOf(RotationError);
      expect(await keyRows()).toEqual(wrappedBefore);
      expect(await rotateSecretsKey(db, oldKey, newKey)).toEqual({ dataKeys: 2, webhookSecrets: 1 });
    } finally {
      await db.close();
    }
    const wrappedAfter = await keyRows();
    expect(wrappedAfter.map((row) => row.key_id)).toEqual(wrappedBefore.map((row) => row.key_id));
    wrappedAfter.forEach((row, i) => expect(row.wrapped_key!.equals(wrappedBefore[i]!.wrapped_key!)).toBe(false));

    const after = await startObservedApp({ now, schema, keepSchema: true, secretsKey: newKey.toString('base64') });
    try {
      await after.settled(); // whatever the first process had not projected, this one projects with the new key
      const q = await people(after);
      const detail = await after.get(`/v1/problems/${problemId}`, { token: q.inspector });
      expect(detail.body).toMatchObject({ description: 'Rotated description', subjects: { items: [{ name: 'Rotated Person' }] } });
      expect(await after.app.get(WebhookSecrets).reveal('POLICE', NORTH)).toBe('s3cret-police-hook-0001-with-enough-length');
    } finally {
      await after.close();
    }

    // The old key opens nothing any more.
    const stale = await startObservedApp({ now, schema, keepSchema: true, secretsKey: oldKey.toString('base64') });
    try {
      await expect(stale.app.get(WebhookSecrets).reveal('POLICE', NORTH)).rejects.toThrow();
      const q = await people(stale);
      // Reading the log fails loudly rather than taking a key it cannot open for an erased one.
      expect((await stale.get(`/v1/problems/${problemId}/history`, { token: q.inspector })).status).toBe(500);
    } finally {
      await stale.close();
    }
    // Two starts of the service on one schema, each catching up its projections.
  }, 90_000);

  it('upgrades secrets stored before they were per partnership to the default partnership, rotating them before and after', async () => {
    const legacySchema = freshSchema();
    const secret = 'legacy-police-hook-secret-with-enough-length';
    const withDb = async <T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> => {
      const db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir: '', schema: legacySchema });
      try {
        return await work(db);
      } finally {
        await db.close();
      }
    };
    const revealed = async (key: Buffer) => {
      const app = await startObservedApp({ now, schema: legacySchema, keepSchema: true, secretsKey: key.toString('base64') });
      try {
        const secrets = app.app.get(WebhookSecrets);
        return { north: await secrets.reveal('POLICE', NORTH), south: await secrets.reveal('POLICE', SOUTH) };
      } finally {
        await app.close();
      }
    };
    try {
      await (await startObservedApp({ now, schema: legacySchema, keepSchema: true, secretsKey: oldKey.toString('base64') })).close();
      // A deployment from before: no record of the personal-data migrations, and the table as it
      // was (one secret per agency, authenticated by the agency code alone).
      await withDb(async (db) => {
        await db.pool.query(`DROP TABLE "${legacySchema}".personal_data_migrations`);
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', webhookSecretsKeyFrom(oldKey), iv);
        cipher.setAAD(Buffer.from('POLICE', 'utf8'));
        const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
        const table = `"${legacySchema}".agency_webhook_secrets`;
        await db.pool.query(`DROP TABLE ${table}`);
        await db.pool.query(`CREATE TABLE ${table} (agency_code text PRIMARY KEY, ciphertext bytea NOT NULL, iv bytea NOT NULL, tag bytea NOT NULL, updated_at timestamptz NOT NULL)`);
        await db.pool.query(`INSERT INTO ${table} VALUES ('POLICE', $1, $2, $3, now())`, [ciphertext, iv, cipher.getAuthTag()]);
        // Rotation still reads a table from before the upgrade.
        expect(await rotateSecretsKey(db, oldKey, newKey)).toEqual({ dataKeys: 0, webhookSecrets: 1 });
      });
      // Started with the new key: the secret is the default partnership's (north here), no other's.
      expect(await revealed(newKey)).toEqual({ north: secret, south: undefined });
      await withDb(async (db) => {
        const { rows } = await db.pool.query(`SELECT agency_code, partnership FROM "${legacySchema}".agency_webhook_secrets`);
        expect(rows).toEqual([{ agency_code: 'POLICE', partnership: NORTH }]);
        expect(await rotateSecretsKey(db, newKey, oldKey)).toEqual({ dataKeys: 0, webhookSecrets: 1 });
      });
      expect(await revealed(oldKey)).toEqual({ north: secret, south: undefined });
    } finally {
      await dropSchema(legacySchema);
    }
  });

  it('takes the old key from the variable named on the command line, or the development key', () => {
    const env = { SECRETS_KEY: newKey.toString('base64'), OLD_SECRETS_KEY: oldKey.toString('base64') };
    expect(rotationKeys(['--from-env', 'OLD_SECRETS_KEY'], env)).toEqual({ from: oldKey, to: newKey });
    expect(() => rotationKeys([], env)).toThrow(/--from-env/);
    expect(() => rotationKeys(['--from-env', 'MISSING'], env)).toThrow(/MISSING is not set/);
    expect(() => rotationKeys(['--from-env', 'OLD_SECRETS_KEY'], { OLD_SECRETS_KEY: env.OLD_SECRETS_KEY })).toThrow(/SECRETS_KEY is not set/);
    expect(() => rotationKeys(['--from-env', 'OLD_SECRETS_KEY'], { ...env, OLD_SECRETS_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
  });
});
