import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else the text. */
  body: any;
  ms: number;
}

export interface HttpCall {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Abort the request after this long (default 30 s): a hang is a failure, not a wait. */
  timeoutMs?: number;
}

/**
 * The app listening on a loopback port, with a small fetch client: the races and outages go
 * through real sockets, not `inject`.
 */
export async function listen(app: NestFastifyApplication) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  async function call(method: string, path: string, options: HttpCall = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const started = Date.now();
    const response = await fetch(`${base}${path}`, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed, ms: Date.now() - started };
  }
  return {
    port,
    base,
    call,
    get: (path: string, options?: HttpCall) => call('GET', path, options),
    post: (path: string, options?: HttpCall) => call('POST', path, options),
  };
}

export type Listening = Awaited<ReturnType<typeof listen>>;
