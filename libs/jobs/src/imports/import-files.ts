import { Readable } from 'node:stream';
import type pg from 'pg';
import type { Database } from '@tasking/event-store';
import type { ImportCounts, ImportFormat } from '@tasking/domain';
import { ApiError } from '@tasking/shared';

/**
 * The files of bulk imports, staged in `import_files` and `import_file_chunks` (migration
 * 1764000008300) as they arrive: a chunk of about a megabyte at a time, so no process holds a
 * whole file. A file is staged in one transaction, and checked inside it (`check` reads it back
 * from the chunks): a file refused leaves nothing behind.
 */

/** A staged chunk's size: large enough for few rows, small enough to hold in memory. */
export const CHUNK_BYTES = 1024 * 1024;

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

export type ImportFileMeta = {
  importId: string;
  partnership: string;
  source: string;
  format: ImportFormat;
  complete: boolean;
  mapping?: Record<string, string>;
  sentBy: string;
  sentAt: string;
};

export type RejectedRow = { row: number; column: string; reason: string };

export type ImportFile = ImportFileMeta & {
  bytes: number;
  status: ImportStatus;
  counts: ImportCounts;
  byArea: Record<string, number>;
  rejectedRows: RejectedRow[];
  position?: string;
  reason?: string;
  withdrawnAt?: string;
};

export const NO_COUNTS: ImportCounts = { rowsRead: 0, recorded: 0, unchanged: 0, updated: 0, withdrawn: 0, rejected: 0, outsidePartnership: 0 };

/** The first rejected rows kept per import (evidence.md: the first 1,000). */
export const REJECTED_ROWS_KEPT = 1000;

/** The file's bytes from its chunks, one chunk read at a time, on `client` (or a pooled session per chunk). */
export function stagedBytes(db: Database | pg.PoolClient, importId: string): Readable {
  const queryOn = async (text: string, values: unknown[]): Promise<pg.QueryResult<{ data: Buffer }>> => {
    if ('pool' in db) {
      const client = await db.pool.connect();
      try {
        return await client.query<{ data: Buffer }>(text, values);
      } finally {
        client.release();
      }
    }
    return db.query<{ data: Buffer }>(text, values);
  };
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq += 1) {
      const { rows } = await queryOn('SELECT data FROM import_file_chunks WHERE import_id = $1 AND seq = $2', [importId, seq]);
      if (rows.length === 0) return;
      yield rows[0]!.data;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/**
 * Stages a file: its row, then its bytes in chunks, then `check` over the bytes read back; all
 * in one transaction. A body over `maxBytes` is refused (413-like VALIDATION_FAILED is Fastify's;
 * here the staged bytes are counted, since a chunked body has no length up front), and so is a
 * file `check` throws for: the transaction rolls back and nothing stays staged.
 */
export async function stageImportFile(
  db: Database,
  meta: ImportFileMeta,
  body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  options: { maxBytes: number; check: (file: Readable) => Promise<void> },
): Promise<{ bytes: number }> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO import_files (import_id, partnership, source, format, complete, mapping, bytes, chunks, sent_by, sent_at, status, counts)
       VALUES ($1, $2, $3, $4, $5, $6, 0, 0, $7, $8, 'queued', $9)`,
      [meta.importId, meta.partnership, meta.source, meta.format, meta.complete, meta.mapping ?? null, meta.sentBy, meta.sentAt, NO_COUNTS],
    );
    let bytes = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return;
      await client.query('INSERT INTO import_file_chunks (import_id, seq, data) VALUES ($1, $2, $3)', [meta.importId, seq, Buffer.concat(pending, pendingBytes)]);
      seq += 1;
      pending = [];
      pendingBytes = 0;
    };
    for await (const part of body) {
      const chunk = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      bytes += chunk.length;
      if (bytes > options.maxBytes) throw new ApiError('VALIDATION_FAILED', `The file is larger than ${options.maxBytes} bytes (IMPORT_MAX_BYTES).`);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= CHUNK_BYTES) await flush();
    }
    await flush();
    await client.query('UPDATE import_files SET bytes = $2, chunks = $3 WHERE import_id = $1', [meta.importId, bytes, seq]);
    await options.check(stagedBytes(client, meta.importId));
    await client.query('COMMIT');
    return { bytes };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

type ImportFileRow = {
  import_id: string;
  partnership: string;
  source: string;
  format: ImportFormat;
  complete: boolean;
  mapping: Record<string, string> | null;
  bytes: string;
  sent_by: string;
  sent_at: Date;
  status: ImportStatus;
  counts: ImportCounts;
  by_area: Record<string, number>;
  rejected_rows: RejectedRow[];
  position: string | null;
  reason: string | null;
  withdrawn_at: Date | null;
};

const fileOf = (row: ImportFileRow): ImportFile => ({
  importId: row.import_id,
  partnership: row.partnership,
  source: row.source,
  format: row.format,
  complete: row.complete,
  ...(row.mapping ? { mapping: row.mapping } : {}),
  sentBy: row.sent_by,
  sentAt: row.sent_at.toISOString(),
  bytes: Number(row.bytes),
  status: row.status,
  counts: row.counts,
  byArea: row.by_area,
  rejectedRows: row.rejected_rows,
  ...(row.position ? { position: row.position } : {}),
  ...(row.reason ? { reason: row.reason } : {}),
  ...(row.withdrawn_at ? { withdrawnAt: row.withdrawn_at.toISOString() } : {}),
});

async function rowsOf<R extends pg.QueryResultRow>(db: Database, text: string, values: unknown[]): Promise<R[]> {
  const client = await db.pool.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    client.release();
  }
}

export async function loadImportFile(db: Database, importId: string): Promise<ImportFile | undefined> {
  const [row] = await rowsOf<ImportFileRow>(db, 'SELECT * FROM import_files WHERE import_id = $1', [importId]);
  return row ? fileOf(row) : undefined;
}

/** The imports of these partnerships, newest first, `limit` at most. */
export async function listImportFiles(db: Database, partnerships: readonly string[], limit: number): Promise<ImportFile[]> {
  const rows = await rowsOf<ImportFileRow>(db, 'SELECT * FROM import_files WHERE partnership = ANY($1) ORDER BY sent_at DESC, import_id LIMIT $2', [partnerships, limit]);
  return rows.map(fileOf);
}

/** Records how far a run got (its counts so far, or its end). */
export async function saveImportProgress(
  db: Database,
  importId: string,
  progress: { status: ImportStatus; counts: ImportCounts; byArea: Record<string, number>; rejectedRows: RejectedRow[]; position?: string; reason?: string },
): Promise<void> {
  await rowsOf(db, 'UPDATE import_files SET status = $2, counts = $3, by_area = $4, rejected_rows = $5, position = $6, reason = $7 WHERE import_id = $1', [
    importId,
    progress.status,
    progress.counts,
    progress.byArea,
    JSON.stringify(progress.rejectedRows),
    progress.position ?? null,
    progress.reason ?? null,
  ]);
}
