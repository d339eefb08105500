import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * One schema mechanism per library (docs/architecture.md, "Schema"): the event store's tables come
 * from its own migrator, every other library's from its TypeORM migrations
 * (`libs/<lib>/src/migrations/`). No other source file under apps/ or libs/ may hold DDL, except
 * the places below, each for its reason.
 */
const ALLOWED: Record<string, string> = {
  'libs/event-store/src/migrations.ts': "the event store's own migrator and migrations (store_migrations): the SQL store's and the KurrentDB adapter's",
  'libs/event-store/src/database.ts': "the Database's schema itself, created when it is opened, before any migrator runs in it",
  'libs/projections/src/runner/rebuild.ts': "a rebuild's shadow schema: copies of a projection's tables (LIKE … INCLUDING ALL) filled from the log and swapped in",
  'apps/api/src/health/readiness.ts': 'the storage probe: a table written in a transaction that is always rolled back, to learn whether the disk has room again',
  'libs/event-store/src/sql-contract-harness.ts': 'test harness: drops the schema it made for a contract run',
  'libs/event-store/src/kurrentdb/kurrentdb-contract-harness.ts': 'test harness: drops the schema it made for a contract run',
};

const OBJECT = String.raw`(?:TABLE|INDEX|SCHEMA|VIEW|MATERIALIZED\s+VIEW|SEQUENCE|TRIGGER|FUNCTION|PROCEDURE|TYPE|EXTENSION|DOMAIN)`;
const DDL = new RegExp(String.raw`\b(?:CREATE(?:\s+OR\s+REPLACE)?(?:\s+UNIQUE)?(?:\s+(?:TEMP|TEMPORARY|UNLOGGED))?\s+${OBJECT}|(?:ALTER|DROP)\s+${OBJECT}|TRUNCATE\b)\b`, 'i');
/** TypeORM changing the schema by itself: `synchronize: true`, or its schema-building calls. */
const TYPEORM_DDL = /\bsynchronize\s*:\s*true\b|\.(?:synchronize|createTable|dropTable|addColumn|dropColumn|createIndex|dropIndex|createSchema|dropSchema)\(/;

/** The DDL in a source: SQL in its string and template literals (comments are not looked at), and TypeORM's own schema changes. */
function ddlIn(source: string, fileName = 'snippet.ts'): string[] {
  const found: string[] = [];
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const visit = (node: ts.Node): void => {
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((span) => `x${span.literal.text}`)].join('');
    const match = text === undefined ? null : DDL.exec(text);
    if (match) found.push(match[0].replace(/\s+/g, ' ').toUpperCase());
    if (text === undefined) ts.forEachChild(node, visit);
  };
  visit(file);
  const typeorm = TYPEORM_DDL.exec(source);
  if (typeorm) found.push(typeorm[0]);
  return found;
}

/** Whether a file is skipped: specs, and the libraries' migrations folders. */
const exempt = (path: string): boolean => /\.(?:e2e-)?spec\.tsx?$/.test(path) || /(^|\/)migrations\//.test(path);

/** Each file holding DDL outside the allowed places, with what it holds. */
function schemaChangesOutsideMigrations(files: readonly { path: string; source: string }[]): string[] {
  return files
    .filter(({ path }) => !exempt(path) && !(path in ALLOWED))
    .flatMap(({ path, source }) => ddlIn(source, path).map((statement) => `${path}: ${statement}`));
}

const root = join(__dirname, '..', '..');
const sources = (dir: string): { path: string; source: string }[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !/(^|\/)(node_modules|dist)\//.test(file))
    .map((file) => ({ path: `${dir}/${file}`, source: readFileSync(join(root, dir, file), 'utf8') }));

describe('schema changes', () => {
  const tree = [...sources('apps'), ...sources('libs')];

  it('happen in the migrations only (and the allowed places), nowhere else in apps/ or libs/', () => {
    expect(tree.length).toBeGreaterThan(100);
    expect(schemaChangesOutsideMigrations(tree)).toEqual([]);
  });

  it.each(Object.keys(ALLOWED))('%s, an allowed place, still holds DDL (else its entry goes)', (path) => {
    const file = tree.find((f) => f.path === path);
    expect(file && ddlIn(file.source, path).length).toBeGreaterThan(0);
  });

  it('holds the migrations it exempts: a migrations folder per library that has tables', () => {
    const folders = new Set(tree.filter((f) => /\/migrations\//.test(f.path)).map((f) => f.path.replace(/\/migrations\/.*/, '/migrations')));
    expect([...folders].sort()).toEqual(['libs/jobs/src/migrations', 'libs/personal-data/src/migrations', 'libs/projections/src/migrations']);
  });

  describe('the check fails on a snippet that changes the schema outside a migration', () => {
    const at = (path: string, source: string) => schemaChangesOutsideMigrations([{ path, source }]);

    it.each([
      ['CREATE TABLE IF NOT EXISTS at start', 'await client.query(`CREATE TABLE IF NOT EXISTS ${s}.things (id int)`);', 'CREATE TABLE'],
      ['ALTER TABLE in an onModuleInit', "async onModuleInit() { await this.query('alter table things add column x text'); }", 'ALTER TABLE'],
      ['a unique index', 'const sql = "CREATE UNIQUE INDEX things_x ON things (x)";', 'CREATE UNIQUE INDEX'],
      ['a function and trigger', 'q(`CREATE OR REPLACE FUNCTION ${s}.f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN END $$`);', 'CREATE OR REPLACE FUNCTION'],
      ['DROP SCHEMA', "pool.query('DROP SCHEMA IF EXISTS x CASCADE');", 'DROP SCHEMA'],
      ['TypeORM synchronize', "new DataSource({ type: 'postgres', synchronize: true });", 'synchronize: true'],
      ['a TypeORM queryRunner.createTable', "await queryRunner.createTable(new Table({ name: 'things' }));", '.createTable('],
    ])('%s', (_, source, statement) => {
      expect(at('libs/things/src/things.ts', source)).toEqual([`libs/things/src/things.ts: ${statement}`]);
    });

    it('and passes the same snippet in a migrations folder or a spec, and SQL that only reads or writes rows', () => {
      const source = 'await client.query(`CREATE TABLE IF NOT EXISTS ${s}.things (id int)`);';
      expect(at('libs/things/src/migrations/1796600009000-things.ts', source)).toEqual([]);
      expect(at('libs/things/src/things.spec.ts', source)).toEqual([]);
      expect(at('libs/things/src/things.ts', "// create table things, in a comment\nq('SELECT created_at FROM things WHERE kind = $1', ['drop']);")).toEqual([]);
    });
  });
});
