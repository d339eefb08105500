import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { Runtime } from '@tasking/runtime';
import { registerWebConsole, webConsoleDir } from '@tasking/web-console';
import { AppModule } from './app.module';
import { READINESS, type Readiness } from './health/readiness';
import { Metrics } from './ops/metrics';
import { serveOpenApi } from './ops/openapi';
import { ProblemJsonFilter, sendProblem } from './http/problem-json.filter';
import { StrictValidationPipe } from './http/validation';
import { registerOpen311FormBodies } from './open311/form-body';
import { capConnectionsPerIp, clientErrorHandler, enforceRequestDeadline, serverTimeoutOptions } from './http/server-limits';
import { acceptImportBodies } from './jobs/imports.controller';

export interface CreateAppOptions {
  /** Leave start-up unfinished (readiness false) until the caller has seeded and calls `begin()`. */
  deferReadiness?: boolean;
  /** Where the JSON log lines go (default stdout); tests capture them here. */
  logDestination?: NodeJS.WritableStream;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** One id per request, shared by Fastify and the request logger (pino-http reuses `req.id`). */
function requestId(req: IncomingMessage): string {
  const sent = req.headers['x-request-id'];
  const id = typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}

/** The API docs page (Swagger UI): its own scripts and styles, data: images, calls to this origin only. */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** No answer is sniffed into another type; the docs page is never framed and runs only its own code. */
function securityHeaders(url: string, reply: FastifyReply): void {
  if (!reply.hasHeader('x-content-type-options')) void reply.header('X-Content-Type-Options', 'nosniff');
  const path = url.split('?')[0]!;
  if (path === '/docs' || path.startsWith('/docs/') || path === '/docs-json') {
    void reply.header('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
    void reply.header('X-Frame-Options', 'DENY');
    void reply.header('Referrer-Policy', 'no-referrer');
  }
}

/** Builds the HTTP application over an opened runtime; `main.ts` listens, tests inject. */
export async function createApp(runtime: Runtime, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const logger = new Logger('http');
  const adapter = new FastifyAdapter({
    bodyLimit: runtime.config.bodyLimitBytes,
    routerOptions: { maxParamLength: 200 },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    genReqId: requestId,
    trustProxy: false,
    ...serverTimeoutOptions(runtime.config.http),
    clientErrorHandler,
    // URLs the router cannot decode (a stray "%") or with a parameter over maxParamLength: problem+json too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendProblem(reply, request, error, logger),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(runtime, { logDestination: options.logDestination }), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new ProblemJsonFilter());
  // Errors inside routes and hooks reach ProblemJsonFilter through the error handler Nest installs at init;
  // setting another one here as well made Fastify warn (FSTWRN004) that the first was overridden.
  const fastify = app.getHttpAdapter().getInstance();
  capConnectionsPerIp(fastify.server, runtime.config.http.maxConnectionsPerIp);
  enforceRequestDeadline(fastify, runtime.config.http.requestDeadlineMs, (request, reply, error) => sendProblem(reply, request, error, logger));
  await acceptImportBodies(fastify, runtime.config.importMaxBytes);
  await registerWebConsole(fastify, webConsoleDir());
  registerOpen311FormBodies(app);
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions?.url ?? 'unmatched', status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    securityHeaders(request.url, reply);
    return payload;
  });
  serveOpenApi(app);
  await app.init();
  await fastify.ready();
  if (!options.deferReadiness) await app.get<Readiness>(READINESS).begin();
  return app;
}
