import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { ERROR_CODES, statusOf } from '@tasking/shared';

/** What each status means, beside the codes that answer it (listed from the one table, error-codes.ts). */
const STATUS_NOTES: Record<number, string> = {
  400: 'the body, query or a path parameter is not valid (field errors in `errors`)',
  401: 'missing, invalid or expired bearer token',
  403: 'the role, agency or claimant does not allow it',
  404: 'unknown id, or an id in another partnership',
  405: 'the resource is read-only',
  408: 'the request did not arrive in time',
  409: 'a state rule refused the command, or the resource changed since it was read',
  422: 'the command names what does not exist or is inactive, or reuses an Idempotency-Key',
  429: 'see Retry-After',
  431: 'the request headers are too large',
  500: 'not the caller\'s fault; logged',
  503: 'see Retry-After',
};

/** The problem+json responses of every route: each status with the codes that answer it. */
export function problemResponses(): Record<string, string> {
  const codesByStatus = new Map<number, string[]>();
  for (const code of ERROR_CODES) codesByStatus.set(statusOf(code), [...(codesByStatus.get(statusOf(code)) ?? []), code]);
  return Object.fromEntries(
    [...codesByStatus].sort(([a], [b]) => a - b).map(([status, codes]) => [String(status), `${codes.join(', ')}: ${STATUS_NOTES[status] ?? 'see the code'}`]),
  );
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', example: 'ACTION_ALREADY_CLAIMED' },
    instance: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const commandResultSchema = {
  type: 'object',
  required: ['id', 'revision', 'position'],
  properties: {
    id: { type: 'string', example: '0b8f4a52-8d0e-4c43-9a53-5b2f3c1d9e77' },
    revision: { type: 'integer', example: 3 },
    position: { type: 'string', example: '00000000000000000812-00000000000000004711' },
  },
};

/**
 * The OpenAPI document: routes from the controllers, request schemas from the class-validator
 * rules the API enforces (so the document cannot drift from validation), problem+json errors.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tasking Ledger')
    .setDescription('Multi-agency tasking and problem solving for Community Safety Partnerships. Errors are application/problem+json with a stable `code`.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = validationMetadatasToSchemas({
    classValidatorMetadataStorage: getMetadataStorage(),
    refPointerPrefix: '#/components/schemas/',
  });
  document.components ??= {};
  document.components.schemas = { ...(document.components.schemas ?? {}), ...(schemas as Record<string, object>), Problem: problemSchema, CommandResult: commandResultSchema };

  const responses = problemResponses();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      if (path.startsWith('/health')) operation.security = [];
      // The bearer here is METRICS_TOKEN, not a user's token; without it configured, 404 (see METRICS_PORT).
      if (path === '/metrics') operation.description = 'Prometheus text format. Bearer METRICS_TOKEN (not a user token); 404 when none is configured.';
      const isCommand = method === 'post' || method === 'put';
      if (isCommand) {
        operation.parameters = [
          ...(operation.parameters ?? []),
          { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'same key and body: the first response, nothing appended again' },
          { name: 'If-Match', in: 'header', required: false, schema: { type: 'string', example: '"3"' }, description: 'the revision last read (ETag); stale answers 409 WRONG_EXPECTED_REVISION' },
        ];
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (status.startsWith('2') && path.startsWith('/v1/') && !path.startsWith('/v1/admin')) {
            (response as { content?: unknown }).content = { 'application/json': { schema: { $ref: '#/components/schemas/CommandResult' } } };
          }
        }
      } else if (path.startsWith('/v1/')) {
        operation.parameters = [
          ...(operation.parameters ?? []),
          { name: 'X-Min-Position', in: 'header', required: false, schema: { type: 'string' }, description: 'wait (bounded) until the read models have passed this position; else 503 NOT_CAUGHT_UP' },
        ];
      }
      if (path.startsWith('/v1/')) {
        for (const [status, description] of Object.entries(responses)) {
          operation.responses[status] ??= { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
        }
      }
    }
  }
  return document;
}

export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Tasking Ledger API' });
}
