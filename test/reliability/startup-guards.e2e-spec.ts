import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@tasking/shared';
import { startOwnRedis } from '../jobs/support/redis-server';
import { ensureWebBuilt } from '../support/web-build';
import { createDatabase } from './support/databases';
import { runEntry, startEntry } from './support/processes';

/**
 * The real entry points (apps/api/src/main.ts, apps/worker/src/main.ts) started as child
 * processes: each refusal is one line naming what is wrong, and a distinct exit code (2: the
 * configuration; 3: the worker's Redis may evict keys). RELIABILITY_ENTRY=dist runs the built
 * dist/ files instead of the sources.
 */
describe('start-up guards (entry points as child processes)', () => {
  const secret = randomBytes(32).toString('hex');
  const base = { LOG_LEVEL: 'silent', RATE_LIMIT_PER_USER_PER_MINUTE: '0', RATE_LIMIT_PER_IP_PER_MINUTE: '0' };
  // The refusals come before anything is opened: this URL is never dialled.
  const unusedDatabase = 'postgres://postgres@127.0.0.1:1/never';

  describe('a configuration that fails validation, or with two token verifiers or none', () => {
    const jwks = { AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json', AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'tasking' };

    it('the API and the worker refuse it: exit 2, one line per problem, nothing on stdout', async () => {
      const cases: ['api' | 'worker', string, Record<string, string>, string[] | RegExp][] = [
        ['api', 'a port that is not a number', { PORT: 'abc' }, ['config: PORT must be an integer from 0 to 65535, got "abc"']],
        ['api', 'two verifiers', { DATABASE_URL: unusedDatabase, AUTH_JWT_SECRET: secret, ...jwks }, ['config: configure exactly one token verifier: AUTH_JWT_SECRET or AUTH_JWKS_URL, not both']],
        ['api', 'no verifier outside the embedded quick start', { DATABASE_URL: unusedDatabase }, /^config: configure a token verifier: AUTH_JWT_SECRET or AUTH_JWKS_URL/],
        [
          'api',
          'the embedded quick start (generated secret) on every address',
          { HOST: '0.0.0.0' },
          [
            "config: HOST=0.0.0.0 is not a loopback address: the embedded quick start's generated development secret serves 127.0.0.1 only; set AUTH_JWT_SECRET or AUTH_JWKS_URL to listen on 0.0.0.0",
          ],
        ],
        ['worker', 'two verifiers', { DATABASE_URL: unusedDatabase, AUTH_JWT_SECRET: secret, ...jwks }, ['config: configure exactly one token verifier: AUTH_JWT_SECRET or AUTH_JWKS_URL, not both']],
        ['worker', 'no DATABASE_URL (the embedded store is one process)', { AUTH_JWT_SECRET: secret }, /^config: the worker needs DATABASE_URL/],
        [
          'worker',
          'two problems at once',
          { DATABASE_URL: unusedDatabase, AUTH_JWT_SECRET: secret, LOG_LEVEL: 'loud', WEBHOOK_ATTEMPTS: '0' },
          ['config: LOG_LEVEL "loud" is not a pino level', 'config: WEBHOOK_ATTEMPTS must be an integer from 1 to 100, got "0"'],
        ],
      ];
      const results = await Promise.all(cases.map(([entry, , env]) => runEntry(entry, { ...base, ...env })));
      results.forEach(({ code, stdout, stderr }, i) => {
        const [entry, what, , expected] = cases[i]!;
        const lines = [...stderr].sort();
        expect({ entry, what, code, stdout, lines }).toEqual({
          entry,
          what,
          code: 2,
          stdout: [],
          lines: Array.isArray(expected) ? [...expected].sort() : [expect.stringMatching(expected)],
        });
      });
    }, 90_000);

    // What main prints is `config: <problem>` for each problem loadConfig finds (shown above for
    // the entry points); the other refusals, checked at that function without a process each.
    it.each([
      ['an unknown worker mode', { WORKER_MODE: 'sometimes' }, /^WORKER_MODE must be inline or separate, got "sometimes"$/],
      ['a database URL of another kind', { DATABASE_URL: 'mysql://db/x', AUTH_JWT_SECRET: secret }, /^DATABASE_URL must be a postgres or postgresql URL/],
      ['a short JWT secret', { AUTH_JWT_SECRET: 'too-short' }, /^AUTH_JWT_SECRET must be at least 32 characters$/],
      ['a secrets key of the wrong size', { SECRETS_KEY: Buffer.alloc(16).toString('base64') }, /^SECRETS_KEY must be 32 bytes, base64-encoded$/],
      ['an unknown time zone', { TIME_ZONE: 'Mars/Olympus_Mons' }, /^TIME_ZONE "Mars\/Olympus_Mons" is not a known time zone$/],
      ['a queue prefix with a space', { QUEUE_PREFIX: 'my queues' }, /^QUEUE_PREFIX must be letters, digits, _ or -$/],
      ['a Redis URL of another scheme', { REDIS_URL: 'http://127.0.0.1:6379' }, /^REDIS_URL must be a redis or rediss URL/],
      ['a partnership code in capitals', { PARTNERSHIPS: 'North,south' }, /^partnership code "North" must be lowercase/],
      ['separate workers on the embedded store', { WORKER_MODE: 'separate' }, /^WORKER_MODE=separate needs DATABASE_URL/],
      ['OIDC without issuer and audience', { DATABASE_URL: unusedDatabase, AUTH_JWKS_URL: 'https://idp.example/jwks' }, /^AUTH_JWKS_URL needs AUTH_ISSUER and AUTH_AUDIENCE$/],
    ] as [string, Record<string, string>, RegExp][])('refuses %s with one problem', (_what, env, problem) => {
      let problems: string[] = [];
      try {
        loadConfig({ ...base, ...env });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems = error.problems;
      }
      expect(problems).toEqual([expect.stringMatching(problem)]);
      expect(problems[0]).not.toContain('\n');
    });
  });

  describe('the worker and the Redis eviction policy', () => {
    let database: Awaited<ReturnType<typeof createDatabase>>;

    beforeAll(async () => {
      // The API warns on stderr when the console is not built; the quiet-start test allows no such line.
      ensureWebBuilt();
      database = await createDatabase();
    }, 300_000);
    afterAll(async () => {
      await database?.drop();
    });

    it('refuses a Redis whose maxmemory-policy is allkeys-lru: exit 3, one line saying what to set', async () => {
      const redis = await startOwnRedis(['--maxmemory-policy', 'allkeys-lru']);
      try {
        const { code, stderr } = await runEntry('worker', {
          ...base,
          DATABASE_URL: database.url,
          AUTH_JWT_SECRET: secret,
          REDIS_URL: redis.url,
          QUEUE_PREFIX: `guard${randomBytes(3).toString('hex')}`,
          WORKER_MODE: 'separate',
        });
        expect(code).toBe(3);
        // One line, and nothing else on stderr: no stack trace, no second account of the refusal.
        expect(stderr).toEqual([expect.stringMatching(/maxmemory-policy allkeys-lru.*set maxmemory-policy noeviction/)]);
      } finally {
        await redis.close();
      }
    }, 90_000);

    it('the worker and the API start on a Redis with noeviction and stop cleanly on a SIGTERM sent the moment they say they run', async () => {
      const redis = await startOwnRedis();
      const common = { ...base, DATABASE_URL: database.url, AUTH_JWT_SECRET: secret, REDIS_URL: redis.url, QUEUE_PREFIX: `guard${randomBytes(3).toString('hex')}` };
      const worker = startEntry('worker', { ...common, WORKER_MODE: 'separate' });
      const api = startEntry('api', { ...common, WORKER_MODE: 'separate', PORT: '0' });
      try {
        await worker.waitFor(/^Tasking Ledger worker: running projections/);
        expect(await worker.kill('SIGTERM')).toBe(0);
        await api.waitFor(/^Tasking Ledger is up on /);
        expect(await api.kill('SIGTERM')).toBe(0);
        // Nothing on stderr but Node's process warnings (Fastify warns of the error handler being replaced).
        const warning = (line: string) => /^\(node:\d+\) \[?\w*\]? ?\w*Warning|^\(Use `node --trace-warnings/.test(line);
        expect([...worker.stderr, ...api.stderr].filter((l) => l.trim() !== '' && !warning(l))).toEqual([]);
      } finally {
        await worker.kill();
        await api.kill();
        await redis.close();
      }
    }, 90_000);
  });
});
