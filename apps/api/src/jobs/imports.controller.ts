import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { IMPORT_FORMATS, type ImportFormat } from '@tasking/domain';
import { parseCsvMapping, partnershipOf } from '@tasking/application';
import type { ImportFile, JobsService } from '@tasking/jobs';
import { CONFIG, JOBS } from '@tasking/runtime';
import { ApiError, type Config } from '@tasking/shared';
import { NoBody, UuidParam } from '../commands/request-validation';
import { jobsOf } from './jobs-admin.controller';

/** The media types an import's body may have: a CSV, or a form with the CSV as its `file` part. */
const IMPORT_MEDIA_TYPES = ['text/csv', 'multipart/form-data'];
const IMPORTS_PATH = '/v1/imports';

/**
 * Lets `POST /v1/imports` take its body as a stream, never buffered (so `BODY_LIMIT_BYTES` does
 * not apply: the import counts its bytes against IMPORT_MAX_BYTES as it stages them): `text/csv`
 * as the request stream itself, and `multipart/form-data` through @fastify/multipart, whose
 * `file()` streams the part. Every other route answers `text/csv` 415 as before; a multipart body
 * sent elsewhere reads as no body.
 */
export async function acceptImportBodies(fastify: FastifyInstance, maxBytes: number): Promise<void> {
  fastify.addContentTypeParser('text/csv', (request, payload, done) => {
    if (request.method === 'POST' && request.routeOptions.url === IMPORTS_PATH) return done(null, payload);
    done(Object.assign(new Error(`Unsupported Media Type: ${request.headers['content-type'] ?? ''}`), { statusCode: 415 }), undefined);
  });
  await fastify.register(multipart, { limits: { files: 1, fields: 10, fileSize: maxBytes + 1 } });
}

export class StartImportQuery {
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'source must be a source code (lower-case letters, digits and dashes)' })
  source!: string;

  @IsIn(IMPORT_FORMATS)
  format!: ImportFormat;

  @IsOptional()
  @IsIn(['true', 'false'])
  complete?: 'true' | 'false';

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  mapping?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  partnership?: string;
}

export class ListImportsQuery {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  partnership?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

const view = (file: ImportFile) => ({
  id: file.importId,
  status: file.status,
  partnership: file.partnership,
  source: file.source,
  format: file.format,
  complete: file.complete,
  bytes: file.bytes,
  sentAt: file.sentAt,
  ...file.counts,
  byArea: file.byArea,
  position: file.position ?? null,
  ...(file.reason ? { reason: file.reason } : {}),
  withdrawnAt: file.withdrawnAt ?? null,
});

/** The `file` part of a multipart body, as a stream. */
async function filePart(request: FastifyRequest): Promise<Readable> {
  const part = await request.file().catch((error: unknown) => {
    throw new ApiError('VALIDATION_FAILED', `The form could not be read: ${(error as Error).message}`);
  });
  if (!part || part.fieldname !== 'file') throw new ApiError('VALIDATION_FAILED', 'The form has no "file" part.', [{ field: 'file', message: 'file is required' }]);
  return part.file;
}

/**
 * Bulk imports (evidence.md, "Bulk import"): a file staged and run as a job; its state, counts
 * and first rejected rows; withdrawing what it recorded.
 */
@Controller('v1/imports')
@Roles('inspector', 'manager', 'admin')
export class ImportsController {
  constructor(
    @Inject(JOBS) private readonly jobs: JobsService | undefined,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post()
  @HttpCode(202)
  async start(@Req() request: FastifyRequest, @Query() query: StartImportQuery, @CurrentPrincipal() principal: Principal) {
    const partnership = this.partnershipOf(principal, query.partnership);
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!IMPORT_MEDIA_TYPES.includes(type) || (type === 'text/csv' && !request.body)) {
      throw new ApiError('VALIDATION_FAILED', 'The body is a CSV file: text/csv, or multipart/form-data with a "file" part.');
    }
    const mapping = query.format === 'mapped-csv' ? (parseCsvMapping(query.mapping) as Record<string, string>) : undefined;
    if (query.format !== 'mapped-csv' && query.mapping !== undefined) throw new ApiError('VALIDATION_FAILED', 'A mapping is given only with format=mapped-csv.', [{ field: 'mapping', message: 'mapping is for mapped-csv only' }]);
    const maxBytes = this.config.importMaxBytes;
    const body = type === 'text/csv' ? (request.body as Readable) : await filePart(request);
    const { importId } = await jobsOf(this.jobs).imports.start(
      { importId: randomUUID(), partnership, source: query.source, format: query.format, complete: query.complete === 'true', ...(mapping ? { mapping } : {}), sentBy: principal.userId },
      body,
      maxBytes,
    );
    return { id: importId };
  }

  @Get()
  async list(@Query() query: ListImportsQuery, @CurrentPrincipal() principal: Principal) {
    const partnerships = query.partnership === undefined ? principal.partnerships : principal.partnerships.filter((p) => p === query.partnership);
    const files = await jobsOf(this.jobs).imports.list(partnerships, query.limit ?? 50);
    return { items: files.map(view), nextCursor: null };
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string, @CurrentPrincipal() principal: Principal) {
    const file = await this.visible(id, principal);
    return { ...view(file), rejectedRows: file.rejectedRows };
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  async withdraw(@Param('id', UuidParam) id: string, @Body(NoBody) _body: undefined, @CurrentPrincipal() principal: Principal) {
    const file = await this.visible(id, principal);
    if (file.status === 'queued' || file.status === 'running') throw new ApiError('VALIDATION_FAILED', 'The import is still running: withdraw it once it has ended.');
    const withdrawn = await jobsOf(this.jobs).imports.withdraw(id, principal.userId);
    return { id, withdrawn };
  }

  /** The import, when it is of one of the caller's partnerships (404 otherwise, as for one that does not exist). */
  private async visible(id: string, principal: Principal): Promise<ImportFile> {
    const file = await jobsOf(this.jobs).imports.get(id);
    if (!file || !principal.partnerships.includes(file.partnership)) throw new ApiError('NOT_FOUND', `no import ${id}`);
    return file;
  }

  private partnershipOf(principal: Principal, named: string | undefined): string {
    const partnership = partnershipOf(principal, named);
    if (!principal.partnerships.includes(partnership)) throw new ApiError('NOT_FOUND', `partnership ${partnership} not found among yours`);
    return partnership;
  }
}
