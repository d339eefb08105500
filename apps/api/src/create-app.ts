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
    // URLs the router cannot decode (a stray "%") or with a parameter over maxParamLength: problem+json too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendProblem(reply, request, error, logger),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(runtime, { logDestination: options.logDestination }), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLogger));
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new ProblemJsonFilter());
  const fastify = app.getHttpAdapter().getInstance();
  fastify.setErrorHandler((error, request, reply) => sendProblem(reply, request, error, logger));
  await registerWebConsole(fastify, webConsoleDir());
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions?.url ?? 'unmatched', status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
  serveOpenApi(app);
  await app.init();
  await fastify.ready();
  if (!options.deferReadiness) await app.get<Readiness>(READINESS).begin();
  return app;
}
