/**
 * `npm run import -- --source police --format police-uk-street [--partnership north] [--complete]
 * [--mapping '{"externalId":"Ref",…}'] <file>`: imports a file from a shell, as `POST /v1/imports`
 * does (staged, checked, then run: by the worker's `imports` queue under WORKER_MODE=separate,
 * else right here), and prints the import's id and counts.
 */
import 'reflect-metadata';
import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseCsvMapping } from '@tasking/application';
import { IMPORT_FORMATS, type ImportFormat } from '@tasking/domain';
import { openRuntime } from '@tasking/runtime';
import { ApiError, loadConfig } from '@tasking/shared';
import { runMain } from '../run-main';

const USAGE = 'usage: npm run import -- --source <code> --format <police-uk-street|mapped-csv> [--partnership <code>] [--complete] [--mapping <json>] <file>';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { source: { type: 'string' }, format: { type: 'string' }, partnership: { type: 'string' }, complete: { type: 'boolean' }, mapping: { type: 'string' } },
  });
  const [file] = positionals;
  if (!values.source || !values.format || !file || !(IMPORT_FORMATS as readonly string[]).includes(values.format)) {
    console.error(USAGE);
    process.exit(2);
  }
  const format = values.format as ImportFormat;
  const config = loadConfig();
  const runtime = await openRuntime(config, { runProjections: true, runJobs: false });
  try {
    // Areas come from the read models: let them show everything recorded so far.
    await runtime.projections.waitFor(await runtime.store.headPosition(), 60_000);
    const jobs = runtime.jobs!;
    const mapping = format === 'mapped-csv' ? (parseCsvMapping(values.mapping) as Record<string, string>) : undefined;
    const { importId } = await jobs.imports.start(
      {
        importId: randomUUID(),
        partnership: values.partnership ?? config.defaultPartnership,
        source: values.source,
        format,
        complete: values.complete === true,
        ...(mapping ? { mapping } : {}),
        sentBy: 'command-line',
      },
      createReadStream(file),
      config.importMaxBytes,
    );
    await jobs.imports.settled();
    const done = await jobs.imports.get(importId);
    console.log(JSON.stringify({ id: importId, status: done?.status, ...done?.counts, byArea: done?.byArea, rejectedRows: done?.rejectedRows.slice(0, 20), reason: done?.reason }, null, 2));
    if (done?.status === 'failed') process.exitCode = 1;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    console.error(`${error.code}: ${error.message}`);
    process.exitCode = 1;
  } finally {
    await runtime.close();
  }
}

runMain(main);
