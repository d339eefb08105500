import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { ApiError } from '@tasking/shared';

/**
 * Reading an import's CSV (evidence.md, "Bulk import") as a stream of rows keyed by the header's
 * names, never the whole file in memory.
 *
 * The file must be UTF-8 (a BOM is stripped; CRLF and LF both end a record). Input that is not
 * UTF-8, Latin-1 included, is refused rather than decoded as Latin-1: a byte sequence that is not
 * UTF-8 could be Latin-1, Windows-1252 or another code page, and a wrong guess would silently put
 * mangled text (addresses, descriptions) in the log and give the same record a different content
 * hash once the file is re-exported as UTF-8. The refusal names the byte, so the sender can save
 * the file as UTF-8 and send it again.
 *
 * Whole-file faults (binary, not UTF-8, a missing column, an unterminated quote, a record over
 * `maxRecordBytes`) throw `IMPORT_FORMAT_INVALID`; a row whose field count differs from the
 * header's is yielded as a rejection and the rest of the file is read.
 */

/** A record is at most this many characters by default (a 100 MB single line fails at 1 MB). */
export const MAX_RECORD_CHARS = 1_000_000;

export type RowRejection = { row: number; column: string; reason: string };

/** `row` counts the header as row 1, as a spreadsheet shows the file. */
export type CsvRow = { row: number; values: Readonly<Record<string, string>> };

export type CsvItem = CsvRow | { row: number; rejection: RowRejection };

export type CsvOptions = {
  /** Columns the header must hold (compared trimmed and without regard to case); the values are keyed by these names. */
  columns: readonly string[];
  maxRecordChars?: number;
};

export const formatInvalid = (detail: string): ApiError => new ApiError('IMPORT_FORMAT_INVALID', detail);

/** Passes the bytes through, refusing a NUL byte (binary input) and anything that is not UTF-8. */
class Utf8Check extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private offset = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const nul = chunk.indexOf(0);
    if (nul >= 0) return done(formatInvalid(`The file holds a NUL byte at byte ${this.offset + nul + 1}: it is binary, not a CSV file.`));
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      return done(formatInvalid(`The file is not UTF-8 (an invalid byte sequence within bytes ${this.offset + 1}-${this.offset + chunk.length}); save it as UTF-8 and send it again.`));
    }
    this.offset += chunk.length;
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    try {
      this.decoder.decode();
    } catch {
      return done(formatInvalid('The file is not UTF-8 (it ends inside a multi-byte character); save it as UTF-8 and send it again.'));
    }
    done();
  }
}

const parserFault = (error: CsvError | Error, maxRecordChars: number): ApiError => {
  const code = (error as CsvError).code;
  const line = (error as CsvError & { lines?: number }).lines;
  const at = line === undefined ? '' : ` (line ${line})`;
  if (code === 'CSV_MAX_RECORD_SIZE') return formatInvalid(`A record is longer than ${maxRecordChars} characters${at}.`);
  if (code === 'CSV_QUOTE_NOT_CLOSED') return formatInvalid(`A quoted field is never closed${at}.`);
  return formatInvalid(`The file is not valid CSV${at}: ${code ?? 'unreadable'}.`);
};

const headerIndex = (header: readonly string[], columns: readonly string[]): Map<string, number> => {
  const byName = new Map<string, number>();
  header.forEach((name, i) => {
    const key = name.trim().toLowerCase();
    if (key !== '' && byName.has(key)) throw formatInvalid(`The header names the column "${name.trim()}" twice.`);
    byName.set(key, i);
  });
  const missing = columns.filter((column) => !byName.has(column.toLowerCase()));
  if (missing.length > 0) throw formatInvalid(`The header lacks the column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')}.`);
  return new Map(columns.map((column) => [column, byName.get(column.toLowerCase()) as number]));
};

/** The rows of a CSV stream; throws IMPORT_FORMAT_INVALID (ApiError) on a whole-file fault. */
export async function* readCsvRows(input: Readable, options: CsvOptions): AsyncGenerator<CsvItem> {
  const maxRecordChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
  const check = new Utf8Check();
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, max_record_size: maxRecordChars, skip_empty_lines: true });
  let fault: ApiError | undefined;
  const fail = (error: Error): void => {
    fault ??= error instanceof ApiError ? error : parserFault(error, maxRecordChars);
    parser.destroy();
  };
  input.on('error', (error) => fail(error instanceof ApiError ? error : formatInvalid(`The file could not be read: ${error.message}`)));
  check.on('error', fail);
  input.pipe(check).pipe(parser);

  let index: Map<string, number> | undefined;
  let width = 0;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      if (index === undefined) {
        index = headerIndex(record, options.columns);
        width = record.length;
        continue;
      }
      if (record.length !== width) {
        yield { row, rejection: { row, column: '*', reason: `The row has ${record.length} fields; the header has ${width}.` } };
        continue;
      }
      const values: Record<string, string> = {};
      for (const [column, i] of index) values[column] = record[i] as string;
      yield { row, values };
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw fault ?? parserFault(error as Error, maxRecordChars);
  } finally {
    input.unpipe(check);
    check.destroy();
    parser.destroy();
  }
  if (fault) throw fault;
  if (index === undefined) throw formatInvalid('The file is empty: it has no header.');
}
