import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problemDocument, statusOf, type ErrorCode, type HttpLimits } from '@tasking/shared';

/** How often Node checks the header and request timeouts: a limit fires within this of being reached. */
export const connectionsCheckingIntervalMs = (limits: HttpLimits): number =>
  Math.max(50, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 10)));

/** The Fastify server options that bound how long a client may hold a connection (docs/security.md). */
export function serverTimeoutOptions(limits: HttpLimits) {
  return {
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: connectionsCheckingIntervalMs(limits) },
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
}

/** A problem+json answer written straight to a socket (before or outside any request). */
export function writeRawProblem(socket: Socket, code: ErrorCode, detail: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) return;
  const status = statusOf(code);
  const body = JSON.stringify(problemDocument(status, code, detail));
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`,
  );
}

/**
 * Errors Node's HTTP parser raises before a request reaches the router (headers too large, a
 * request too slow to arrive, bytes that are not HTTP): problem+json like every other answer.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    writeRawProblem(socket, 'HEADERS_TOO_LARGE', 'the request headers are too large');
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    writeRawProblem(socket, 'REQUEST_TIMEOUT', 'the request did not arrive in time');
  } else {
    writeRawProblem(socket, 'VALIDATION_FAILED', 'the request is not valid HTTP');
  }
  socket.destroy();
}

/**
 * Caps open connections per client address: one over the cap is answered 429 and closed at
 * once, before any of its bytes are read. 0 switches the cap off.
 */
export function capConnectionsPerIp(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      writeRawProblem(socket, 'RATE_LIMITED', `too many open connections from this address (at most ${max})`, { 'Retry-After': '1' });
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/** A request not answered within REQUEST_DEADLINE_MS of its body having arrived. */
export class RequestDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`the request was not answered within ${deadlineMs} ms`);
    this.name = 'RequestDeadlineError';
  }
}

const deadlines = new WeakMap<object, number>();

/**
 * Answers every request still unanswered `deadlineMs` after its body arrived with `answer` (a 503),
 * and notes the deadline for `deadlineOf` so a command past it appends nothing. The clock starts
 * once the body is in: receiving it is bounded by the request and idle timeouts. (Fastify's own
 * handlerTimeout is not used: it stops counting when Node reports the request body complete.)
 */
export function enforceRequestDeadline(
  fastify: FastifyInstance,
  deadlineMs: number,
  answer: (request: FastifyRequest, reply: FastifyReply, error: RequestDeadlineError) => void,
): void {
  const timers = new WeakMap<object, NodeJS.Timeout>();
  fastify.addHook('preValidation', async (request, reply) => {
    deadlines.set(request, Date.now() + deadlineMs);
    const timer = setTimeout(() => {
      // An answer already streaming (a CSV export) is making progress: the idle timeout bounds it.
      if (reply.sent || reply.raw.headersSent) return;
      answer(request, reply, new RequestDeadlineError(deadlineMs));
    }, deadlineMs);
    timer.unref();
    timers.set(request, timer);
  });
  fastify.addHook('onResponse', async (request) => clearTimeout(timers.get(request)));
}

/** The epoch milliseconds at which the request's deadline passes, if it has one. */
export const deadlineOf = (request: object): number | undefined => deadlines.get(request);
