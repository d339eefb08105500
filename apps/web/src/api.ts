/**
 * The one way the console talks to the API: bearer token from the session, problem+json errors
 * turned into ApiProblem values, ETag revisions and projection positions surfaced to the pages.
 * Tokens go in the Authorization header only, never in a URL.
 */

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem answered by the API (or a network failure dressed as one). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[] = [],
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  /** The revision in the `ETag` header, when the route sends one. */
  revision?: number;
  /** `X-Projection-Position`: how far the read models behind this answer had read the log. */
  projectionPosition?: string;
  headers: Headers;
}

/** What every command answers. */
export interface CommandResult {
  id: string;
  revision: number;
  position: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface RequestOptions {
  body?: unknown;
  /** A file sent as it is (an import's CSV), with its type, instead of a JSON `body`. */
  file?: { data: Blob | string; type: string };
  /** Sent as `If-Match: "<revision>"`: the revision the user was looking at. */
  ifMatch?: number;
  /** Sent as `X-Min-Position`: read at least what this command wrote (read-your-writes). */
  minPosition?: string;
  idempotencyKey?: string;
  accept?: string;
  signal?: AbortSignal;
  /** No Authorization header (console config, dev tokens). */
  anonymous?: boolean;
}

type TokenSource = () => string | undefined;
let tokenSource: TokenSource = () => undefined;
let unauthorisedListener: (() => void) | undefined;

export function setTokenSource(source: TokenSource): void {
  tokenSource = source;
}

/** Called when the API answers 401 to a signed-in request (expired or revoked token). */
export function onUnauthorised(listener: () => void): void {
  unauthorisedListener = listener;
}

export function parseEtag(value: string | null): number | undefined {
  if (!value) return undefined;
  const match = /^(?:W\/)?"?(-?\d+)"?$/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

const NOT_CAUGHT_UP_RETRIES = 3;

/**
 * Read-your-writes across pages: for a short while after one of our own commands, reads carry its
 * position in `X-Min-Position`, so the page shown next includes the change just made.
 */
const OWN_WRITE_WINDOW_MS = 30_000;
let ownWrite: { position: string; at: number } | undefined;

export function rememberOwnWrite(position: string | undefined): void {
  if (position) ownWrite = { position, at: Date.now() };
}

function ownWritePosition(): string | undefined {
  if (!ownWrite || Date.now() - ownWrite.at > OWN_WRITE_WINDOW_MS) return undefined;
  return ownWrite.position;
}

async function toProblem(response: Response): Promise<ApiProblem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<{ code: string; title: string; detail: string; errors: FieldError[] }>;
      return new ApiProblem(
        response.status,
        body.code ?? `HTTP_${response.status}`,
        body.title ?? response.statusText,
        body.detail,
        Array.isArray(body.errors) ? body.errors : [],
      );
    } catch {
      // fall through to a plain problem
    }
  }
  return new ApiProblem(response.status, `HTTP_${response.status}`, response.statusText || 'Request failed', undefined);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers = new Headers();
  headers.set('Accept', options.accept ?? 'application/json');
  const token = options.anonymous ? undefined : tokenSource();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (options.file) headers.set('Content-Type', options.file.type);
  else if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  if (options.ifMatch !== undefined) headers.set('If-Match', `"${options.ifMatch}"`);
  const minPosition = options.minPosition ?? (method === 'GET' && !options.anonymous ? ownWritePosition() : undefined);
  if (minPosition) headers.set('X-Min-Position', minPosition);
  if (options.idempotencyKey) headers.set('Idempotency-Key', options.idempotencyKey);

  for (let attempt = 0; ; attempt += 1) {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: options.file ? options.file.data : options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        credentials: 'omit',
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiProblem(0, 'NETWORK', 'The service could not be reached', 'Check the connection and try again.');
    }
    if (response.ok) {
      const type = response.headers.get('content-type') ?? '';
      const data = (response.status === 204 ? undefined : type.includes('json') ? await response.json() : await response.text()) as T;
      return {
        data,
        status: response.status,
        revision: parseEtag(response.headers.get('etag')),
        projectionPosition: response.headers.get('x-projection-position') ?? undefined,
        headers: response.headers,
      };
    }
    const problem = await toProblem(response);
    // Read-your-writes: the projections have not reached our write yet; the server says when to ask again.
    if (response.status === 503 && method === 'GET' && attempt < NOT_CAUGHT_UP_RETRIES) {
      const retryAfter = Number(response.headers.get('retry-after') ?? '1');
      await sleep(Math.min(Number.isFinite(retryAfter) ? retryAfter : 1, 3) * 1000);
      continue;
    }
    if (response.status === 401 && token && unauthorisedListener) unauthorisedListener();
    throw problem;
  }
}

export const get = <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options).then((r) => r);

/** A command: POST or PUT with an idempotency key, so a retried click never appends twice. */
export async function command(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> & { method?: 'POST' | 'PUT' } = {}): Promise<CommandResult> {
  const { method = 'POST', ...rest } = options;
  const response = await request<CommandResult>(method, path, { ...rest, body, idempotencyKey: rest.idempotencyKey ?? newIdempotencyKey() });
  rememberOwnWrite(response.data?.position);
  return response.data;
}

/** Sends a file to a route that starts work and answers `202 {id}` (an import), with an idempotency key. */
export async function upload(path: string, file: { data: Blob | string; type: string }): Promise<{ id: string }> {
  const response = await request<{ id: string }>('POST', path, { file, idempotencyKey: newIdempotencyKey() });
  return response.data;
}

/** Builds `path?a=1&b=2`, leaving out empty values. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Fetches with the bearer token and saves the answer as a file: the token never goes in a URL. */
export async function download(path: string, filename: string, accept: string): Promise<void> {
  const response = await request<string | object>('GET', path, { accept });
  const text = typeof response.data === 'string' ? response.data : JSON.stringify(response.data, null, 2);
  const type = response.headers.get('content-type') ?? accept;
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Plain words for the refusals people meet in the console; the API's detail follows. */
export function describeProblem(problem: unknown): string {
  if (!(problem instanceof ApiProblem)) return problem instanceof Error ? problem.message : 'Something went wrong.';
  const plain: Record<string, string> = {
    ACTION_ALREADY_CLAIMED: 'Someone else claimed this a moment ago.',
    WRONG_EXPECTED_REVISION: 'This record changed while you were looking at it. It has been reloaded: check it and try again.',
    ACTION_ALREADY_DECLINED: 'This action has already been declined.',
    ACTION_CLOSED: 'This action is already discharged or cancelled.',
    ACTION_NOT_CLAIMED: 'This action has to be claimed first.',
    ACTIONS_OUTSTANDING: 'Some actions are still open: discharge or cancel them, or close with an override and a reason.',
    PROBLEM_CLOSED: 'This problem is closed.',
    PROBLEM_NOT_CLOSED: 'This problem is not closed.',
    MEETING_CLOSED: 'This meeting is closed.',
    WRONG_AGENCY: 'Only officers of the action’s agency may do this.',
    NOT_CLAIMANT: 'Only the officer who claimed this action (or an inspector) may release it.',
    FORBIDDEN_ROLE: 'Your role does not allow this.',
    UNAUTHENTICATED: 'Your sign-in has ended. Sign in again.',
    NOT_FOUND: 'Not found (or not in your partnership).',
    RATE_LIMITED: 'Too many requests: wait a moment and try again.',
    NOT_CAUGHT_UP: 'The service is still catching up with recent changes: try again in a moment.',
    NETWORK: 'The service could not be reached. Check the connection and try again.',
    INCIDENT_ALREADY_TRIAGED: 'Someone triaged this incident a moment ago.',
    UNKNOWN_SOURCE: 'That source is not registered for your partnership.',
    IMPORT_FORMAT_INVALID: 'The file is not in the chosen format.',
  };
  if (problem.code === 'VALIDATION_FAILED' && problem.errors.length > 0) return `Check ${problem.errors.length === 1 ? 'this answer' : 'these answers'}:`;
  const lead = plain[problem.code];
  if (lead) return problem.detail && problem.code !== 'ACTION_ALREADY_CLAIMED' ? `${lead} (${problem.detail})` : lead;
  return problem.detail ? `${problem.title}: ${problem.detail}` : problem.title;
}
