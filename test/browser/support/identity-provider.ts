import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';

/** A free loopback port (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An RS256 signing key as a private JWK with its `kid`. */
export async function signingKey(kid: string): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

export interface IdentityProvider {
  issuer: string;
  jwksUrl: string;
  /** Stops the provider and starts it again with these keys (the first signs): a rotation or a revocation. */
  restart(keys: Record<string, unknown>[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * `oidc-provider` (support/oidc-provider.mjs) in a child process: HTTPS on `port` with a
 * self-signed certificate for the browser, the same provider over HTTP on `jwksPort` for the API.
 */
export async function startIdentityProvider(options: { port: number; jwksPort: number; consoleUrl: string; keys: Record<string, unknown>[]; accessTokenTtl?: number }): Promise<IdentityProvider> {
  const dir = await mkdtemp(join(tmpdir(), 'tl-idp-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  let child: ChildProcess | undefined;
  const start = async (keys: Record<string, unknown>[]) => {
    const started = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs')], {
      env: {
        ...process.env,
        PORT: String(options.port),
        JWKS_PORT: String(options.jwksPort),
        CONSOLE_URL: options.consoleUrl,
        TLS_KEY: key,
        TLS_CERT: cert,
        KEYS: JSON.stringify(keys),
        ACCESS_TOKEN_TTL: String(options.accessTokenTtl ?? 600),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = started;
    await new Promise<void>((resolve, reject) => {
      started.once('exit', (code) => reject(new Error(`the identity provider exited (${String(code)})`)));
      started.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
    });
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start(options.keys);
  return {
    issuer: `https://127.0.0.1:${options.port}`,
    jwksUrl: `http://127.0.0.1:${options.jwksPort}/jwks`,
    async restart(keys) {
      await stop();
      await start(keys);
    },
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
