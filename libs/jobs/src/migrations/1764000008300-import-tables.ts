import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk imports (evidence.md, "Bulk import"): the files as sent, staged so that a worker of its
 * own can run them, and the import ledger.
 *
 * - `import_files`: one row per file, with what the run needs (partnership, source, format,
 *   completeness, mapping) and how far it got (status, counts, the first rejected rows). The
 *   `import-<id>` stream records the start and the end; this row is the run's working record.
 * - `import_file_chunks`: the bytes, in chunks of about a megabyte, so neither the API nor the
 *   worker ever holds a whole file.
 * - `import_ledger`: every incident an import recorded, with its content hash, source and month,
 *   the import that recorded it and the last that saw it. The import keeps it itself, batch by
 *   batch after each append (not a projection: a run must see its own earlier batches and the
 *   runs before it at once, without waiting for a projection to catch up). The log stays the
 *   authority: each batch reads its incidents' streams before deciding, and writes what it
 *   found back here, so a ledger left behind by a crash is mended by the next run.
 */
export class ImportTables1764000008300 implements MigrationInterface {
  name = 'ImportTables1764000008300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE import_files (
        import_id uuid PRIMARY KEY,
        partnership text NOT NULL,
        source text NOT NULL,
        format text NOT NULL,
        complete boolean NOT NULL,
        mapping jsonb,
        bytes bigint NOT NULL,
        chunks integer NOT NULL,
        sent_by text NOT NULL,
        sent_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        counts jsonb NOT NULL,
        by_area jsonb NOT NULL DEFAULT '{}',
        rejected_rows jsonb NOT NULL DEFAULT '[]',
        position text,
        reason text,
        withdrawn_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX import_files_partnership_idx ON import_files (partnership, sent_at DESC, import_id)');
    await queryRunner.query(`
      CREATE TABLE import_file_chunks (
        import_id uuid NOT NULL REFERENCES import_files (import_id) ON DELETE CASCADE,
        seq integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (import_id, seq)
      )`);
    await queryRunner.query(`
      CREATE TABLE import_ledger (
        incident_id uuid PRIMARY KEY,
        partnership text NOT NULL,
        source text NOT NULL,
        month text NOT NULL,
        content_hash text NOT NULL,
        recorded_by uuid NOT NULL,
        seen_by uuid NOT NULL,
        withdrawn boolean NOT NULL DEFAULT false
      )`);
    await queryRunner.query('CREATE INDEX import_ledger_month_idx ON import_ledger (partnership, source, month)');
    await queryRunner.query('CREATE INDEX import_ledger_recorded_by_idx ON import_ledger (recorded_by)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['import_ledger', 'import_file_chunks', 'import_files']) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
