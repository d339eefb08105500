import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { readCsvRows, POLICE_UK_STREET_COLUMNS } from '@tasking/application';
import { ApiError } from '@tasking/shared';
import { JOB_MIGRATIONS, loadImportFile, stageImportFile, stagedBytes, CHUNK_BYTES, type ImportFileMeta } from '@tasking/jobs';
import { runMigrations } from '@tasking/projections';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

const HEADER = `${POLICE_UK_STREET_COLUMNS.join(',')}\n`;
const ROW = 'abc,2026-09,Thames Valley Police,Thames Valley Police,-1.257420,51.752113,On or near Cornmarket Street,E01028522,Oxford 008A,Burglary,Under investigation,\n';

const readRows = async (file: Readable): Promise<void> => {
  for await (const item of readCsvRows(file, { columns: POLICE_UK_STREET_COLUMNS })) void item;
};

const drain = async (file: Readable): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const part of file) parts.push(part as Buffer);
  return Buffer.concat(parts);
};

describe('staging an import file', () => {
  let test: TestDatabase;
  const meta = (): ImportFileMeta => ({ importId: randomUUID(), partnership: 'north', source: 'police', format: 'police-uk-street', complete: false, sentBy: 'u1', sentAt: '2026-11-15T12:00:00.000Z' });
  const count = async (table: string, importId: string): Promise<number> => {
    const { rows } = await test.db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE import_id = $1`, [importId]);
    return Number(rows[0]!.n);
  };

  beforeAll(async () => {
    test = await openTestDatabase();
    await runMigrations(test.db, JOB_MIGRATIONS);
  });
  afterAll(() => test.close());

  it('stores a file in chunks of about a megabyte and gives back the same bytes', async () => {
    const file = meta();
    const body = HEADER + ROW.repeat(Math.ceil((2.5 * CHUNK_BYTES) / ROW.length));
    // Sent in small parts, as a request body arrives.
    const parts = body.match(/[\s\S]{1,65536}/g)!.map((part) => Buffer.from(part));
    const { bytes } = await stageImportFile(test.db, file, parts, { maxBytes: 10 * CHUNK_BYTES, check: readRows });
    expect(bytes).toBe(Buffer.byteLength(body));
    expect(await count('import_file_chunks', file.importId)).toBe(3);
    expect((await drain(stagedBytes(test.db, file.importId))).toString('utf8')).toBe(body);
    expect(await loadImportFile(test.db, file.importId)).toMatchObject({ importId: file.importId, status: 'queued', bytes, counts: { rowsRead: 0 } });
  });

  it.each([
    ['a wrong header', 'Crime ID,Month\n1,2026-09\n', /lacks the columns/],
    ['binary content', Buffer.concat([Buffer.from(HEADER), Buffer.from([0x00, 0x01, 0x02])]), /NUL byte/],
    ['Latin-1 text', Buffer.from(HEADER + ROW.replace('Oxford', 'Caf\xe9'), 'latin1'), /not UTF-8/],
    ['an unterminated quote', HEADER + ROW + 'x,"2026-09,P\n', /never closed/],
  ])('refuses %s with IMPORT_FORMAT_INVALID and keeps nothing of it', async (_name, body, message) => {
    const file = meta();
    const error = await stageImportFile(test.db, file, [Buffer.from(body)], { maxBytes: CHUNK_BYTES, check: readRows }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'IMPORT_FORMAT_INVALID', message: expect.stringMatching(message) });
    expect(await count('import_files', file.importId)).toBe(0);
    expect(await count('import_file_chunks', file.importId)).toBe(0);
  });

  it('refuses a file over the limit, keeping nothing', async () => {
    const file = meta();
    const error = await stageImportFile(test.db, file, [Buffer.from(HEADER), Buffer.from(ROW.repeat(100))], { maxBytes: 1000, check: readRows }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'The file is larger than 1000 bytes (IMPORT_MAX_BYTES).' });
    expect(await count('import_files', file.importId)).toBe(0);
  });
});
