import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StoreUnavailableError, WrongExpectedRevisionError, isConnectionError, isStorageFull } from '@tasking/event-store';
import { ApiError, problemDocument, statusOf, type ErrorCode, type FieldError } from '@tasking/shared';
import { RequestDeadlineError } from './server-limits';
import { isOpen311Path, sendOpen311Error } from '../open311/open311-errors';
import { redactUrl } from '../ops/logging';

interface Mapped {
  status: number;
  code: ErrorCode;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
}

/**
 * Maps any error to one problem+json answer; only what is not the caller's fault becomes a 500.
 * The status is the code's (error-codes.ts), except for errors Nest or Fastify raised with a status
 * of their own (an unknown route, a body too large or of another media type): those keep it.
 */
export function mapError(error: unknown): Mapped {
  if (error instanceof ApiError) {
    return { status: error.status, code: error.code, detail: error.message, errors: error.errors, headers: error.headers };
  }
  if (error instanceof WrongExpectedRevisionError) {
    return { status: statusOf('WRONG_EXPECTED_REVISION'), code: 'WRONG_EXPECTED_REVISION', detail: `the ${error.stream.split('-')[0]} has changed since you read it (now at revision ${String(error.actual)})` };
  }
  if (isStorageFull(error)) {
    // Nothing was written; readiness fails until a write succeeds again (health/readiness.ts).
    return { status: statusOf('STORAGE_FULL'), code: 'STORAGE_FULL', detail: 'the database has no space left to record this; nothing was changed, try again later', headers: { 'retry-after': '30' } };
  }
  if (error instanceof StoreUnavailableError || isDatabaseAway(error)) {
    return { status: statusOf('SERVICE_UNAVAILABLE'), code: 'SERVICE_UNAVAILABLE', detail: 'the database is not answering; try again shortly', headers: { 'retry-after': '5' } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code: ErrorCode = status === 404 ? 'NOT_FOUND' : status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN_ROLE' : status === 429 ? 'RATE_LIMITED' : 'VALIDATION_FAILED';
    return { status, code, detail: status === 404 ? 'no such route' : error.message };
  }
  if (error instanceof RequestDeadlineError) {
    // REQUEST_DEADLINE_MS passed (a frozen database, say). A command may still commit after this
    // answer: a retry with the same Idempotency-Key then gets that command's result, not a second one.
    return { status: statusOf('SERVICE_UNAVAILABLE'), code: 'SERVICE_UNAVAILABLE', detail: 'the request did not finish in time; try again shortly', headers: { 'retry-after': '5' } };
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    const detail =
      fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'the request body is too large'
        : fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'send the body as application/json'
          : fastifyError.code === 'FST_ERR_BAD_URL'
            ? 'the URL is not validly percent-encoded'
            : fastifyError.code === 'FST_ERR_MAX_PARAM_LENGTH'
              ? 'a path parameter is too long'
              : status === 400
            ? 'the request body is not valid JSON'
            : (fastifyError.message ?? 'bad request');
    return { status, code: 'VALIDATION_FAILED', detail };
  }
  return { status: statusOf('INTERNAL'), code: 'INTERNAL', detail: 'something went wrong on our side; it has been logged' };
}

/** The store's test for an unreachable database, plus what TypeORM says when it met one mid-transaction. */
function isDatabaseAway(error: unknown): boolean {
  if (isConnectionError(error)) return true;
  // TypeORM releases a transaction's session when its connection fails; the transaction's next
  // statement then meets this instead of the connection error (seen when the database stops).
  return (error as { name?: unknown })?.name === 'QueryRunnerAlreadyReleasedError';
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest | undefined, error: unknown, logger: Logger): void {
  const mapped = mapError(error);
  if (mapped.status >= 500 && mapped.code === 'INTERNAL') {
    logger.error({ err: error, url: redactUrl(request?.url) }, 'unhandled error');
  }
  for (const [name, value] of Object.entries(mapped.headers ?? {})) void reply.header(name, value);
  if (isOpen311Path(request?.url)) {
    // Open311 clients read the specification's errors, not problem+json (evidence.md, "Open311").
    const detail = mapped.status === 415 ? 'send the body form-encoded (application/x-www-form-urlencoded) or as application/json' : mapped.detail;
    sendOpen311Error(reply, request!.url, mapped.status, detail, mapped.errors);
    return;
  }
  const body = { ...problemDocument(mapped.status, mapped.code, mapped.detail, mapped.errors), instance: request?.url?.split('?')[0] };
  void reply.status(mapped.status).type('application/problem+json').send(body);
}

@Catch()
export class ProblemJsonFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (error instanceof HttpException && request.url.startsWith('/health/')) {
      // The health check's own report (which check is down and why) is the body probes expect.
      void http.getResponse<FastifyReply>().status(error.getStatus()).send(error.getResponse());
      return;
    }
    sendProblem(http.getResponse<FastifyReply>(), request, error, this.logger);
  }
}
