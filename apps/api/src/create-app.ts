import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { ProblemJsonFilter, sendProblem } from './http/problem-json.filter';
import { StrictValidationPipe } from './http/validation';
import type { Runtime } from './runtime';

export interface CreateAppOptions {
  logger?: LoggerService | LogLevel[] | false;
}

/** Builds the HTTP application over an opened runtime; `main.ts` listens, tests inject. */
export async function createApp(runtime: Runtime, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: runtime.config.bodyLimitBytes,
    maxParamLength: 200,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(runtime), adapter, {
    logger: options.logger ?? ['error', 'warn'],
    bufferLogs: false,
  });
  app.useGlobalPipes(new StrictValidationPipe());
  app.useGlobalFilters(new ProblemJsonFilter());
  const fastify = app.getHttpAdapter().getInstance();
  const logger = new Logger('http');
  fastify.setErrorHandler((error, request, reply) => sendProblem(reply, request, error, logger));
  fastify.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, Object.assign(new Error('no such route'), { statusCode: 404, code: 'NOT_FOUND' }), logger),
  );
  await app.init();
  await fastify.ready();
  return app;
}
