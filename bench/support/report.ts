import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

/** Where every benchmark writes `<name>.json` (gitignored): bench/results of the repository (run.js says where it is). */
export const RESULTS_DIR = process.env.TASKING_BENCH_ROOT ? join(process.env.TASKING_BENCH_ROOT, 'bench', 'results') : resolve(__dirname, '..', 'results');

export interface Table {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

/** A figure against its target in quality.md. `met` is null when the figure could not be taken. */
export interface Target {
  what: string;
  value: number | null;
  unit: string;
  target: string;
  met: boolean | null;
  note?: string;
}

export interface BenchOutput {
  /** Written to bench/results/<resultName>.json (default: the benchmark's name). */
  resultName?: string;
  tables: Table[];
  /** Every figure, machine-readable. */
  figures: Record<string, unknown>;
  targets: Target[];
  notes: string[];
}

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  node: string;
  postgres: string;
  platform: string;
  date: string;
  /** 1-minute load average: above the core count means other work shared the machine. */
  loadAverage1m: number;
}

export async function machineInfo(databaseUrl: string): Promise<Machine> {
  let postgres = 'unknown';
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>('SHOW server_version');
    postgres = rows[0]?.v ?? postgres;
  } catch {
    // reported as unknown
  } finally {
    await client.end().catch(() => undefined);
  }
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((os.freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export function printTable(table: Table): void {
  const cells = [table.columns, ...table.rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((row) => String(row[i] ?? '').length)));
  const line = (row: (string | number)[]) =>
    row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]!) : String(cell).padStart(widths[i]!))).join('  ');
  console.log(`\n${table.title}`);
  console.log(line(table.columns));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells.slice(1)) console.log(line(row));
}

export function printTargets(targets: readonly Target[]): void {
  if (targets.length === 0) return;
  printTable({
    title: 'Targets',
    columns: ['what', 'value', 'target', 'met'],
    rows: targets.map((t) => [
      t.what,
      t.value === null ? 'n/a' : `${formatNumber(t.value)} ${t.unit}`.trim(),
      t.target,
      t.met === null ? 'n/a' : t.met ? 'yes' : 'NO',
    ]),
  });
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export async function writeResult(name: string, content: Record<string, unknown>): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`);
  return file;
}
