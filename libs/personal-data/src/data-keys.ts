import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '@tasking/event-store';
import type { Clock } from '@tasking/shared';
import { deriveSecretsKey } from './webhook-secrets';
import { query, quoteIdent } from './sql';

/** HKDF purpose of the key-encryption key: SECRETS_KEY wraps data keys through this, and only this. */
export const DATA_KEYS_INFO = 'tasking-ledger/personal-data-keys/v1';

export const dataKeysKek = (secretsKeyMaterial: Buffer): Buffer => deriveSecretsKey(secretsKeyMaterial, DATA_KEYS_INFO);

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A data key under the key-encryption key: iv | ciphertext | tag; the key id is authenticated data. */
export function wrapKey(kek: Buffer, keyId: string, key: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(`data-key:${keyId}`, 'utf8'));
  return Buffer.concat([iv, cipher.update(key), cipher.final(), cipher.getAuthTag()]);
}

export function unwrapKey(kek: Buffer, keyId: string, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(`data-key:${keyId}`, 'utf8'));
  decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
  return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES)), decipher.final()]);
}

/** A data key to encrypt with. */
export interface WriteKey {
  keyId: string;
  key: Buffer;
}

/** Writing under a key that was erased: the subject is gone, nothing more may be recorded about them. */
export class ErasedKeyError extends Error {
  readonly code = 'SUBJECT_ERASED';
  constructor(keyId: string) {
    super(`the data key ${keyId} was erased: nothing more can be recorded under it`);
    this.name = 'ErasedKeyError';
  }
}

interface Cached {
  /** null: erased (for good). */
  key: Buffer | null;
  /** '' for an incident's key (it belongs to no problem). */
  problemId: string;
  /** Live keys are re-checked after this (ms since epoch), so another process's erasure is seen. */
  expires: number;
}

export interface DataKeysOptions {
  /**
   * How long an unwrapped live key is trusted in memory before the table is asked again (default
   * 60 s). Bounds how long another process may still decrypt after an erasure; this process
   * forgets a key the moment it erases it.
   */
  cacheTtlMs?: number;
  /** Most keys kept in memory (default 50,000). */
  cacheSize?: number;
  /** Called once, when the first key is created (e.g. to warn that the development key wraps it). */
  onFirstKey?: () => void;
}

interface KeyRow {
  key_id: string;
  problem_id: string | null;
  wrapped_key: Buffer | null;
}

/**
 * The data keys of personal data (envelope encryption): created on first use, unwrapped on read,
 * destroyed on erasure. Subject keys are keyed by the subject id, incident keys by the incident id;
 * a problem has at most one live key at a time.
 */
export class DataKeys {
  private readonly cache = new Map<string, Cached>();
  private readonly liveProblemKeys = new Map<string, { keyId: string; expires: number }>();
  private readonly actionProblems = new Map<string, string>();
  private readonly table: string;
  private readonly actionTable: string;
  private readonly ttl: number;
  private readonly size: number;
  private onFirstKey: (() => void) | undefined;

  constructor(
    private readonly db: Database,
    private readonly kek: Buffer,
    private readonly clock: Clock,
    options: DataKeysOptions = {},
  ) {
    this.table = `${quoteIdent(db.schema)}.data_keys`;
    this.actionTable = `${quoteIdent(db.schema)}.action_problem`;
    this.ttl = options.cacheTtlMs ?? 60_000;
    this.size = options.cacheSize ?? 50_000;
    this.onFirstKey = options.onFirstKey;
  }

  private wrapNew(keyId: string): Buffer {
    const first = this.onFirstKey;
    this.onFirstKey = undefined;
    first?.();
    return wrapKey(this.kek, keyId, randomBytes(32));
  }

  /** The problem's live key, created when it has none (first text, or text after an erasure). */
  async problemKey(problemId: string): Promise<WriteKey> {
    const now = Date.now();
    const known = this.liveProblemKeys.get(problemId);
    if (known && known.expires > now) {
      const cached = this.cache.get(known.keyId);
      if (cached?.key) return { keyId: known.keyId, key: cached.key };
    }
    // One round trip for a new problem (the common case here: its first text is its raise).
    const keyId = randomUUID();
    let [row] = await query<KeyRow>(
      this.db,
      `INSERT INTO ${this.table} (key_id, scope, problem_id, wrapped_key, created_at) VALUES ($1, 'problem', $2, $3, $4)
       ON CONFLICT (problem_id) WHERE scope = 'problem' AND erased_at IS NULL DO NOTHING
       RETURNING key_id, problem_id, wrapped_key`,
      [keyId, problemId, this.wrapNew(keyId), this.clock.now()],
    );
    // The problem has a live key already (or a concurrent writer created it first).
    row ??= (
      await query<KeyRow>(
        this.db,
        `SELECT key_id, problem_id, wrapped_key FROM ${this.table} WHERE problem_id = $1 AND scope = 'problem' AND erased_at IS NULL`,
        [problemId],
      )
    )[0];
    if (!row?.wrapped_key) throw new Error(`no live data key for problem ${problemId}`);
    const key = this.remember(row)!;
    this.liveProblemKeys.delete(problemId);
    if (this.liveProblemKeys.size >= this.size) this.liveProblemKeys.delete(this.liveProblemKeys.keys().next().value!);
    this.liveProblemKeys.set(problemId, { keyId: row.key_id, expires: now + this.ttl });
    return { keyId: row.key_id, key };
  }

  /** The subject's key (created on first use); an erased subject's key is never re-created. */
  async subjectKey(subjectId: string, problemId: string): Promise<WriteKey> {
    const cached = this.cache.get(subjectId);
    if (cached?.key && cached.expires > Date.now()) return { keyId: subjectId, key: cached.key };
    await query(
      this.db,
      `INSERT INTO ${this.table} (key_id, scope, problem_id, wrapped_key, created_at) VALUES ($1, 'subject', $2, $3, $4) ON CONFLICT (key_id) DO NOTHING`,
      [subjectId, problemId, this.wrapNew(subjectId), this.clock.now()],
    );
    const [row] = await query<KeyRow>(this.db, `SELECT key_id, problem_id, wrapped_key FROM ${this.table} WHERE key_id = $1`, [subjectId]);
    const live = row ? this.remember(row) : null;
    if (!live) throw new ErasedKeyError(subjectId);
    return { keyId: subjectId, key: live };
  }

  /** The incident's key (created on first use), or null once erased: an erased incident's key is never re-created. */
  async incidentKey(incidentId: string): Promise<WriteKey | null> {
    const cached = this.cache.get(incidentId);
    if (cached && (cached.key === null || cached.expires > Date.now())) return cached.key && { keyId: incidentId, key: cached.key };
    await query(
      this.db,
      `INSERT INTO ${this.table} (key_id, scope, problem_id, wrapped_key, created_at) VALUES ($1, 'incident', NULL, $2, $3) ON CONFLICT (key_id) DO NOTHING`,
      [incidentId, this.wrapNew(incidentId), this.clock.now()],
    );
    const [row] = await query<KeyRow>(this.db, `SELECT key_id, problem_id, wrapped_key FROM ${this.table} WHERE key_id = $1`, [incidentId]);
    const live = row ? this.remember(row) : null;
    return live && { keyId: incidentId, key: live };
  }

  /** Keys by id for reading: the key, or null when erased or unknown (its fields read as erased). */
  async keysFor(keyIds: Iterable<string>): Promise<Map<string, Buffer | null>> {
    const found = new Map<string, Buffer | null>();
    const missing: string[] = [];
    const now = Date.now();
    for (const keyId of new Set(keyIds)) {
      const cached = this.cache.get(keyId);
      if (cached && (cached.key === null || cached.expires > now)) found.set(keyId, cached.key);
      else missing.push(keyId);
    }
    if (missing.length > 0) {
      const rows = await query<KeyRow>(this.db, `SELECT key_id, problem_id, wrapped_key FROM ${this.table} WHERE key_id = ANY($1::text[])`, [missing]);
      for (const row of rows) found.set(row.key_id, this.remember(row));
      for (const keyId of missing) if (!found.has(keyId)) found.set(keyId, null);
    }
    return found;
  }

  /** Forgets the cached keys of these problems (their erasure may have happened in another process). */
  forgetProblems(problemIds: Iterable<string>): void {
    const ids = new Set(problemIds);
    if (ids.size === 0) return;
    for (const [keyId, cached] of this.cache) if (ids.has(cached.problemId) && cached.key !== null) this.cache.delete(keyId);
    for (const id of ids) this.liveProblemKeys.delete(id);
  }

  /** Destroys a subject's key. Idempotent. */
  eraseSubject(subjectId: string): Promise<boolean> {
    return this.eraseKey(subjectId);
  }

  /** Destroys an incident's key. Idempotent; true when this call destroyed it. */
  eraseIncident(incidentId: string): Promise<boolean> {
    return this.eraseKey(incidentId);
  }

  /**
   * Incidents holding a live key created at or before `cutoff` (the retention sweep's candidates),
   * oldest first, after `after` (the last of the previous page).
   */
  async liveIncidentKeys(cutoff: Date, after: { createdAt: Date; incidentId: string } | undefined, limit: number): Promise<{ incidentId: string; createdAt: Date }[]> {
    const rows = await query<{ key_id: string; created_at: Date }>(
      this.db,
      `SELECT key_id, created_at FROM ${this.table}
        WHERE scope = 'incident' AND erased_at IS NULL AND created_at <= $1
          AND ($2::timestamptz IS NULL OR (created_at, key_id) > ($2::timestamptz, $3::text))
        ORDER BY created_at, key_id LIMIT $4`,
      [cutoff, after?.createdAt ?? null, after?.incidentId ?? null, limit],
    );
    return rows.map((row) => ({ incidentId: row.key_id, createdAt: row.created_at }));
  }

  private async eraseKey(keyId: string): Promise<boolean> {
    const rows = await query(this.db, `UPDATE ${this.table} SET wrapped_key = NULL, erased_at = $2 WHERE key_id = $1 AND erased_at IS NULL RETURNING key_id`, [
      keyId,
      this.clock.now(),
    ]);
    const cached = this.cache.get(keyId);
    this.cache.set(keyId, { key: null, problemId: cached?.problemId ?? '', expires: Infinity });
    return rows.length > 0;
  }

  /** Destroys every live key of a problem: its text key and its subjects' keys. Idempotent; answers how many. */
  async eraseProblem(problemId: string): Promise<number> {
    const rows = await query<{ key_id: string }>(
      this.db,
      `UPDATE ${this.table} SET wrapped_key = NULL, erased_at = $2 WHERE problem_id = $1 AND erased_at IS NULL RETURNING key_id`,
      [problemId, this.clock.now()],
    );
    this.forgetProblems([problemId]);
    for (const { key_id } of rows) this.cache.set(key_id, { key: null, problemId, expires: Infinity });
    return rows.length;
  }

  /** Problems with a live key whose ids are in `problemIds` (the retention sweep's candidates). */
  async withLiveKeys(problemIds: readonly string[]): Promise<Set<string>> {
    if (problemIds.length === 0) return new Set();
    const rows = await query<{ problem_id: string }>(
      this.db,
      `SELECT DISTINCT problem_id FROM ${this.table} WHERE problem_id = ANY($1::uuid[]) AND erased_at IS NULL`,
      [problemIds],
    );
    return new Set(rows.map((row) => row.problem_id));
  }

  /** Records which problem actions belong to (before their ActionAssigned is appended). */
  async rememberActionProblems(pairs: readonly { actionId: string; problemId: string }[]): Promise<void> {
    const fresh = pairs.filter((p) => this.actionProblems.get(p.actionId) !== p.problemId);
    if (fresh.length === 0) return;
    await query(
      this.db,
      `INSERT INTO ${this.actionTable} (action_id, problem_id) SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT (action_id) DO NOTHING`,
      [fresh.map((p) => p.actionId), fresh.map((p) => p.problemId)],
    );
    for (const p of fresh) this.rememberAction(p.actionId, p.problemId);
  }

  /** The problem of each action (absent: unknown action). */
  async problemsOfActions(actionIds: Iterable<string>): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: string[] = [];
    for (const id of new Set(actionIds)) {
      const known = this.actionProblems.get(id);
      if (known) found.set(id, known);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const rows = await query<{ action_id: string; problem_id: string }>(
        this.db,
        `SELECT action_id, problem_id FROM ${this.actionTable} WHERE action_id = ANY($1::uuid[])`,
        [missing],
      );
      for (const row of rows) {
        found.set(row.action_id, row.problem_id);
        this.rememberAction(row.action_id, row.problem_id);
      }
    }
    return found;
  }

  /** Entries held in memory per map (each is bounded by `cacheSize`). */
  memoryEntries(): { keys: number; liveProblemKeys: number; actionProblems: number } {
    return { keys: this.cache.size, liveProblemKeys: this.liveProblemKeys.size, actionProblems: this.actionProblems.size };
  }

  private rememberAction(actionId: string, problemId: string): void {
    if (this.actionProblems.size >= this.size) this.actionProblems.delete(this.actionProblems.keys().next().value!);
    this.actionProblems.set(actionId, problemId);
  }

  private remember(row: KeyRow): Buffer | null {
    const key = row.wrapped_key === null ? null : unwrapKey(this.kek, row.key_id, row.wrapped_key);
    if (this.cache.size >= this.size) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(row.key_id, { key, problemId: row.problem_id ?? '', expires: key === null ? Infinity : Date.now() + this.ttl });
    return key;
  }
}
