import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { QUERY_HANDLERS } from '@tasking/projections';

/**
 * One read-side pattern: every query is a query object with a handler next to its read model in
 * libs/projections, registered on the QueryBus; the API's query routes only map HTTP to queries.
 */
const root = join(__dirname, '..', '..');
const filesUnder = (dir: string, suffix: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix) && !file.endsWith('.spec.ts'))
    .map((file) => join(dir, file));

describe('the read side', () => {
  const controllers = [...filesUnder('apps/api/src/queries', '.controller.ts'), 'apps/api/src/jobs/meeting-pack.controller.ts'];

  it.each(controllers)('%s reads through the QueryBus only (no read-model tables, SQL or event store)', (file) => {
    const source = readFileSync(join(root, file), 'utf8');
    const reads = source.match(/readModels|dataSource|createQueryBuilder|from 'typeorm'|\.query\(|runtime\.store|problemHistory|\bquery(?!Instant)[A-Z]\w*\(/g) ?? [];
    expect(reads).toEqual([]);
  });

  it('registers every query handler of libs/projections on the QueryBus, one per query', () => {
    const handled = filesUnder('libs/projections/src', '.ts').flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/@QueryHandler\((\w+)\)\s*export class (\w+)/g)].map(([, query, handler]) => ({
        file: relative(root, join(root, file)),
        query: query!,
        handler: handler!,
      })),
    );
    expect(handled.length).toBeGreaterThan(0);
    expect(QUERY_HANDLERS.map((handler) => handler.name).sort()).toEqual(handled.map((h) => h.handler).sort());
    expect(new Set(handled.map((h) => h.query)).size).toBe(handled.length);
  });
});
