import type { EntityManager } from 'typeorm';

/**
 * Helpers for projectors that fold a batch in memory and write it back in a few statements:
 * load the rows a batch touches (one SELECT per table), apply the events to plain objects, then
 * upsert the changed rows (one INSERT per table). Table names stay unqualified, so the same code
 * writes the live tables or, during a rebuild, the copies that `search_path` finds first.
 *
 * Rows are plain JSON objects keyed by column name: loaded with `to_jsonb` (timestamps come back
 * as ISO text at full precision) and written with `jsonb_populate_recordset` (one parameter
 * whatever the number of rows), so nothing is lost or reformatted on the way through.
 */
export type Row = Record<string, unknown>;

export interface TableSpec {
  /** Unqualified table name. */
  name: string;
  /** The primary-key column (single column). */
  key: string;
  /** The SQL type of the key, for `= ANY($1::<type>[])`. */
  keyType: 'uuid' | 'text';
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes an identifier; refuses anything but a plain lower-case name. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`not a plain lower-case identifier: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** The rows of `table` whose keys are in `keys`, as JSON objects keyed by their key. */
export async function loadRows<R extends Row>(tx: EntityManager, table: TableSpec, keys: Iterable<string>): Promise<Map<string, R>> {
  const wanted = [...new Set(keys)];
  const found = new Map<string, R>();
  if (wanted.length === 0) return found;
  const rows: { row: R }[] = await tx.query(
    `SELECT to_jsonb(t) AS row FROM ${ident(table.name)} t WHERE t.${ident(table.key)} = ANY($1::${table.keyType}[])`,
    [wanted],
  );
  for (const { row } of rows) found.set(String(row[table.key]), row);
  return found;
}

/**
 * Inserts or replaces whole rows (one statement). Columns missing from the objects are NULL on
 * insert and left alone on update, so a table can gain columns another projector fills.
 */
export async function upsertRows(tx: EntityManager, table: TableSpec, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).filter((column) => column !== table.key);
  const t = ident(table.name);
  const set = columns.length === 0 ? 'NOTHING' : `UPDATE SET ${columns.map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`).join(', ')}`;
  await tx.query(
    `INSERT INTO ${t} SELECT * FROM jsonb_populate_recordset(NULL::${t}, $1::jsonb) ON CONFLICT (${ident(table.key)}) DO ${set}`,
    [JSON.stringify(rows)],
  );
}

/** Inserts rows, skipping any whose key (or other unique constraint) is already there. */
export async function insertRowsIfAbsent(tx: EntityManager, table: string, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const t = ident(table);
  await tx.query(`INSERT INTO ${t} SELECT * FROM jsonb_populate_recordset(NULL::${t}, $1::jsonb) ON CONFLICT DO NOTHING`, [
    JSON.stringify(rows),
  ]);
}

/**
 * An ISO 8601 time from an event as a canonical UTC instant. Bare dates are UTC midnight (what
 * `Date.parse` and the domain's own comparisons make of them), so the stored value depends on the
 * event alone, never on a session's time zone.
 */
export function utc(value: string): string;
export function utc(value: string | undefined | null): string | null;
export function utc(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 time: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

/**
 * Rows of one table that a batch loads, changes and writes back. `get` after `load` sees the
 * stored row or the one the batch put; `flush` writes only what changed.
 */
export class RowBatch<R extends Row> {
  private readonly rows = new Map<string, R>();
  private readonly changed = new Set<string>();

  constructor(readonly table: TableSpec) {}

  async load(tx: EntityManager, keys: Iterable<string>): Promise<void> {
    const missing = [...keys].filter((key) => !this.rows.has(key));
    for (const [key, row] of await loadRows<R>(tx, this.table, missing)) this.rows.set(key, row);
  }

  get(key: string): R | undefined {
    return this.rows.get(key);
  }

  put(key: string, row: R): void {
    this.rows.set(key, row);
    this.changed.add(key);
  }

  /** Replaces some fields of an existing row; ignored when the row is unknown. */
  patch(key: string, fields: Partial<R>): void {
    const row = this.rows.get(key);
    if (row) this.put(key, { ...row, ...fields });
  }

  all(): R[] {
    return [...this.rows.values()];
  }

  async flush(tx: EntityManager): Promise<void> {
    await upsertRows(
      tx,
      this.table,
      [...this.changed].map((key) => this.rows.get(key)!),
    );
    this.changed.clear();
  }
}
