/** Plain HTTP calls to the API for setting up data; a missing route fails with its name. */
export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export class RouteMissing extends Error {}

export function client(apiUrl: string) {
  const call = async (method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // CSV and other text stay text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  /** A call that must succeed; says which route failed and how. */
  const must = async (method: string, path: string, token: string, body?: unknown): Promise<any> => {
    const reply = await call(method, path, token, body);
    if (reply.status >= 300) {
      const detail = typeof reply.body === 'object' ? JSON.stringify(reply.body) : String(reply.body).slice(0, 300);
      throw new RouteMissing(`${method} ${path} answered ${reply.status}: ${detail}`);
    }
    return reply.body;
  };
  return { call, must };
}
