import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeJwt } from 'jose';
import { loadConfig } from '@tasking/shared';
import { createTokenVerifier } from '@tasking/auth';

/**
 * `npm run token` (apps/api/src/token.ts, run from its source as the reliability suites run the
 * entry points): usage on --help, one line and exit 2 for every refusal, and tokens that carry
 * `exp` within the lifetime the API accepts.
 */
const ROOT = resolve(__dirname, '../..');
const REGISTER = join(ROOT, 'test/reliability/support/swc-register.js');

function runToken(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string[]; stderr: string[] }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['-r', REGISTER, join(ROOT, 'apps/api/src/token.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
    child.once('close', (code) => done({ code, stdout: lines(out), stderr: lines(err) }));
  });
}

describe('npm run token', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tl-token-'));
    env = { DATA_DIR: dataDir };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints its usage on --help and -h, exit 0, nothing on stderr', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = await runToken([flag], env);
      expect({ code, stderr }).toEqual({ code: 0, stderr: [] });
      expect(stdout[0]).toMatch(/^usage: npm run token -- --sub <id> --agency <CODE> --roles/);
      expect(stdout.join('\n')).toMatch(/--expires/);
    }
  }, 60_000);

  it.each([
    ['an unknown option', ['--bogus'], /^Unknown option '--bogus' \(npm run token -- --help\)$/],
    ['missing arguments', ['--sub', 'u1'], /^missing --agency, --roles \(npm run token -- --help\)$/],
    ['an unknown role', ['--sub', 'u1', '--agency', 'POLICE', '--roles', 'boss'], /^unknown role\(s\): boss; roles are /],
    ['a lifetime past the cap', ['--sub', 'u1', '--agency', 'POLICE', '--roles', 'inspector', '--expires', '30d'], /^--expires must be from 1 s to 43200 s/],
    ['a lifetime that is not one', ['--sub', 'u1', '--agency', 'POLICE', '--roles', 'inspector', '--expires', 'soon'], /^--expires "soon" is not a lifetime/],
  ])('refuses %s with one line and exit 2', async (_what, args, message) => {
    const { code, stdout, stderr } = await runToken(args, env);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: [], stderr: [expect.stringMatching(message)] });
  }, 60_000);

  it('prints a token with exp, 12 hours by default and as asked, that the API verifier accepts', async () => {
    const first = await runToken(['--sub', 'u1', '--agency', 'police', '--roles', 'inspector,officer'], env);
    expect({ code: first.code, stderr: first.stderr, lines: first.stdout.length }).toEqual({ code: 0, stderr: [], lines: 1 });
    const claims = decodeJwt(first.stdout[0]!);
    expect(typeof claims.exp).toBe('number');
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);

    const short = await runToken(['--sub', 'u1', '--agency', 'police', '--roles', 'inspector', '--expires', '30m'], env);
    const shortClaims = decodeJwt(short.stdout[0]!);
    expect(shortClaims.exp! - shortClaims.iat!).toBe(30 * 60);

    const secret = (await readFile(join(dataDir, 'dev-jwt-secret'), 'utf8')).trim();
    const verifier = createTokenVerifier(loadConfig({ DATA_DIR: dataDir }).auth, { partnerships: ['default'], defaultPartnership: 'default' }, secret);
    await expect(verifier.verify(first.stdout[0]!)).resolves.toMatchObject({ userId: 'u1', agency: 'POLICE', roles: ['inspector', 'officer'] });
  }, 60_000);
});
