import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface InjectCall {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface InjectAnswer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** Parsed JSON (problem+json included); undefined for an empty or non-JSON body. */
  body: any;
  text: string;
}

/** One request through the app without a socket: a bearer token and a JSON body when given. */
export async function injectJson(app: NestFastifyApplication, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, call: InjectCall = {}): Promise<InjectAnswer> {
  const headers: Record<string, string> = { ...call.headers };
  if (call.token) headers['authorization'] = `Bearer ${call.token}`;
  let payload: string | undefined;
  if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(call.body);
  }
  const response = await app.getHttpAdapter().getInstance().inject({ method, url, headers, payload });
  const text = response.body;
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.statusCode, headers: response.headers, body, text };
}
