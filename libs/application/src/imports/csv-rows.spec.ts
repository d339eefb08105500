import { Readable } from 'node:stream';
import { ApiError } from '@tasking/shared';
import { readCsvRows, type CsvItem } from './csv-rows';

const streamOf = (...chunks: (string | Buffer)[]): Readable => Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));

const readAll = async (input: Readable, columns = ['A', 'B'], maxRecordChars?: number): Promise<CsvItem[]> => {
  const items: CsvItem[] = [];
  for await (const item of readCsvRows(input, { columns, maxRecordChars })) items.push(item);
  return items;
};

const refusal = async (input: Readable, columns?: string[], maxRecordChars?: number): Promise<ApiError> => {
  try {
    await readAll(input, columns, maxRecordChars);
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('the file was read without a refusal');
};

describe('readCsvRows', () => {
  it('keys each row by the required columns, whatever their order and case in the header, and numbers rows as a spreadsheet does', async () => {
    const items = await readAll(streamOf('b,extra, a \n2,x,1\n4,y,3\n'));
    expect(items).toEqual([
      { row: 2, values: { A: '1', B: '2' } },
      { row: 3, values: { A: '3', B: '4' } },
    ]);
  });

  it('strips a UTF-8 BOM and reads CRLF like LF, quoted newlines and commas included', async () => {
    const items = await readAll(streamOf('\uFEFFA,B\r\n"x, y","line 1\r\nline 2"\r\nz,é\r\n'));
    expect(items).toEqual([
      { row: 2, values: { A: 'x, y', B: 'line 1\r\nline 2' } },
      { row: 3, values: { A: 'z', B: 'é' } },
    ]);
  });

  it('reads a multi-byte character split across two chunks', async () => {
    const bytes = Buffer.from('A,B\nå,ö\n', 'utf8');
    const items = await readAll(streamOf(bytes.subarray(0, 5), bytes.subarray(5)));
    expect(items).toEqual([{ row: 2, values: { A: 'å', B: 'ö' } }]);
  });

  it('rejects a row with another number of fields than the header, and reads on', async () => {
    const items = await readAll(streamOf('A,B\n1\n2,3\n'));
    expect(items).toEqual([
      { row: 2, rejection: { row: 2, column: '*', reason: 'The row has 1 fields; the header has 2.' } },
      { row: 3, values: { A: '2', B: '3' } },
    ]);
  });

  it('refuses a header without a required column, naming every missing one', async () => {
    const error = await refusal(streamOf('A,C\n1,2\n'), ['A', 'B', 'D']);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('IMPORT_FORMAT_INVALID');
    expect(error.message).toBe('The header lacks the columns "B", "D".');
  });

  it('refuses a header naming a column twice', async () => {
    expect((await refusal(streamOf('A,B,a\n1,2,3\n'))).message).toMatch(/names the column "a" twice/);
  });

  it('refuses an empty file', async () => {
    expect((await refusal(streamOf(''))).message).toMatch(/empty/);
  });

  it('refuses binary input (a NUL byte) before yielding anything after it', async () => {
    const seen: CsvItem[] = [];
    const input = streamOf('A,B\n1,2\n', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]));
    await expect(
      (async () => {
        for await (const item of readCsvRows(input, { columns: ['A', 'B'] })) seen.push(item);
      })(),
    ).rejects.toMatchObject({ code: 'IMPORT_FORMAT_INVALID', message: expect.stringMatching(/NUL byte at byte 13/) });
    expect(seen.length).toBeLessThanOrEqual(1);
  });

  it('refuses Latin-1 (not UTF-8) input rather than guessing its encoding', async () => {
    const error = await refusal(streamOf(Buffer.from('A,B\nCaf\xe9,1\n', 'latin1')));
    expect(error.code).toBe('IMPORT_FORMAT_INVALID');
    expect(error.message).toMatch(/not UTF-8/);
  });

  it('refuses input that ends inside a multi-byte character', async () => {
    expect((await refusal(streamOf(Buffer.from([0x41, 0x2c, 0x42, 0x0a, 0x31, 0x2c, 0xc3])))).message).toMatch(/not UTF-8/);
  });

  it('refuses an unterminated quote', async () => {
    const error = await refusal(streamOf('A,B\n1,"never closed\n2,3\n'));
    expect(error.code).toBe('IMPORT_FORMAT_INVALID');
    expect(error.message).toMatch(/quoted field is never closed/);
  });

  it('refuses a record over the bound without holding the whole line', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    const oneLongLine = new Readable({
      read() {
        if (sent === 0) this.push('A,B\n');
        sent += chunk.length;
        this.push(sent > 100_000_000 ? null : chunk);
      },
    });
    const error = await refusal(oneLongLine, ['A', 'B'], 1_000_000);
    expect(error.code).toBe('IMPORT_FORMAT_INVALID');
    expect(error.message).toMatch(/longer than 1000000 characters/);
    expect(sent).toBeLessThan(10_000_000);
  });
});
