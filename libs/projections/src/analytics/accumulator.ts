import type { EntityManager } from 'typeorm';
import { AGGREGATES, type AggregateName, type Emit } from './facts';

interface Pending {
  key: readonly (string | number)[];
  measures: Record<string, number>;
  /** Some measure went down: the row may have reached zero and must then be deleted. */
  decreased: boolean;
}

/**
 * Sums the contribution changes of a batch per aggregate row, then applies them in one upsert per
 * table (`m = m + delta`). Rows whose measures all come back to zero are deleted, so the tables
 * hold the same rows whether they were built live or by a rebuild.
 */
export class Accumulator {
  private readonly pending = new Map<AggregateName, Map<string, Pending>>();
  private readonly known = new Map<AggregateName, Set<string>>(
    (Object.keys(AGGREGATES) as AggregateName[]).map((name) => [name, new Set(AGGREGATES[name].measures.map((m) => m.name))]),
  );

  /** An emitter that adds contributions multiplied by `sign`. */
  emitter(sign: 1 | -1): Emit {
    return (aggregate, key, measures) => this.add(aggregate, key, measures, sign);
  }

  add(aggregate: AggregateName, key: readonly (string | number)[], measures: Record<string, number>, sign: number): void {
    let rows = this.pending.get(aggregate);
    if (!rows) {
      rows = new Map();
      this.pending.set(aggregate, rows);
    }
    let id = String(key[0]);
    for (let i = 1; i < key.length; i += 1) id += `\u0000${key[i]}`;
    let row = rows.get(id);
    if (!row) {
      row = { key, measures: {}, decreased: false };
      rows.set(id, row);
    }
    const known = this.known.get(aggregate)!;
    for (const name in measures) {
      const value = measures[name]!;
      if (value === 0 || !known.has(name)) continue;
      const delta = value * sign;
      row.measures[name] = (row.measures[name] ?? 0) + delta;
      if (delta < 0) row.decreased = true;
    }
  }

  async flush(tx: EntityManager): Promise<void> {
    for (const [aggregate, rows] of this.pending) {
      const spec = AGGREGATES[aggregate];
      const changed = [...rows.values()].filter((row) => Object.values(row.measures).some((v) => v !== 0));
      if (changed.length === 0) continue;
      const keyNames = spec.keys.map((k) => k.name);
      const measureNames = spec.measures.map((m) => m.name);
      const records = changed.map((row) => {
        const record: Record<string, unknown> = {};
        spec.keys.forEach((k, i) => (record[k.name] = row.key[i]));
        for (const m of measureNames) record[m] = row.measures[m] ?? 0;
        return record;
      });
      const columns = [...spec.keys, ...spec.measures].map((c) => `${c.name} ${c.type}`).join(', ');
      await tx.query(
        `INSERT INTO ${spec.table} AS t (${[...keyNames, ...measureNames].join(', ')})
         SELECT ${[...keyNames, ...measureNames].join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${columns})
         ON CONFLICT (${keyNames.join(', ')}) DO UPDATE SET ${measureNames.map((m) => `${m} = t.${m} + EXCLUDED.${m}`).join(', ')}`,
        [JSON.stringify(records)],
      );
      const maybeZero = records.filter((_, i) => changed[i]!.decreased);
      if (maybeZero.length > 0) {
        const keyColumns = spec.keys.map((c) => `${c.name} ${c.type}`).join(', ');
        await tx.query(
          `DELETE FROM ${spec.table} AS t USING jsonb_to_recordset($1::jsonb) AS x(${keyColumns})
           WHERE ${keyNames.map((k) => `t.${k} = x.${k}`).join(' AND ')} AND ${measureNames.map((m) => `t.${m} = 0`).join(' AND ')}`,
          [JSON.stringify(maybeZero.map((r) => Object.fromEntries(keyNames.map((k) => [k, r[k]]))))],
        );
      }
    }
    this.pending.clear();
  }
}
