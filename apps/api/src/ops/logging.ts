import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { Config } from '@tasking/shared';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Paths never logged in full: tokens, cookies, secrets and anything a person typed. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.token',
  '*.webhookSecret',
  '*.password',
  '*.secret',
  '*.api_key',
  '*.apiKey',
];

/** A URL as logs may hold it: an Open311 `api_key` in the query string replaced (evidence.md, "Clients"). */
export const redactUrl = (url: string | undefined): string | undefined => url?.replace(/([?&]api_key=)[^&#]*/gi, '$1[redacted]');

export function loggingParams(config: Config, destination?: NodeJS.WritableStream): Params {
  return {
    // The module's default route pattern does not match under the Fastify adapter here; '*' does.
    forRoutes: [{ path: '*', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req: IncomingMessage) => {
        const sent = req.headers['x-request-id'];
        return typeof sent === 'string' && SAFE_ID.test(sent) ? sent : randomUUID();
      },
      customProps: (req: IncomingMessage) => {
        const sent = req.headers['x-correlation-id'];
        return { correlationId: typeof sent === 'string' && SAFE_ID.test(sent) ? sent : (req as IncomingMessage & { id?: unknown }).id };
      },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        // The URL without its query string: queries can carry names typed into a search box.
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      ...(destination ? { stream: destination } : {}),
    },
  } as Params;
}
