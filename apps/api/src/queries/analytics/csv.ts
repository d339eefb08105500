/**
 * CSV for spreadsheets (RFC 4180): CRLF line ends, a cell quoted when it holds a quote, comma or
 * line break, quotes doubled. Text that a spreadsheet would run as a formula (starting with
 * = + - @, or a tab or carriage return that some strip first) gets a leading apostrophe (OWASP
 * CSV injection). Numbers and booleans we format ourselves are written as they are.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const guarded = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export const csvRow = (cells: readonly CsvCell[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** A whole CSV answered at once (small exports: one row per agency or month). */
export const csvText = (header: readonly CsvCell[], rows: readonly (readonly CsvCell[])[]): string => csvRow(header) + rows.map(csvRow).join('');
