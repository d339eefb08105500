import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '@tasking/auth';
import { ERASED, SENSITIVE_OPEN311_CATEGORIES, STATUS_NOTES, open311ServicesOf, type ExtendedStatus, type Open311Service, type PartnershipState } from '@tasking/domain';
import { Open311RequestsQuery, Open311UpdatesQuery, type Open311RequestFilters, type Open311RequestRow } from '@tasking/projections';
import { ApiError, CLOCK, isUuid, type Clock } from '@tasking/shared';
import { Open311Access } from './open311-access';
import { OPEN311_PREFIX } from './open311-errors';
import {
  formatOfPath,
  writeDiscovery,
  writeRequests,
  writeServiceDefinition,
  writeServices,
  writeUpdates,
  type Open311Document,
  type RequestEntry,
} from './open311-format';

/** Every route with its `.json` and `.xml` forms (XML without one). */
const withFormats = (path: string): string[] => [path, `${path}.json`, `${path}.xml`];
const withoutFormat = (value: string): string => value.replace(/\.(json|xml)$/i, '');

/** The date of the last change to what these routes answer (discovery's `changeset`). */
export const OPEN311_CHANGESET = '2026-12-07T00:00:00Z';
export const MAX_REQUESTS = 1000;
const DAY_MS = 86_400_000;
export const DEFAULT_WINDOW_DAYS = 90;

type Params = Record<string, unknown>;

/** A query parameter given once as text; anything else is absent (unknown and repeated parameters are ignored). */
const param = (query: Params, name: string): string | undefined => {
  const value = query[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

const invalid = (field: string, message: string): ApiError => new ApiError('VALIDATION_FAILED', message, [{ field, message }]);

/**
 * Open311 GeoReport v2 (evidence.md, "Open311"): discovery, services and requests need no key;
 * updates need the client's. Errors answer in the specification's format (open311-errors.ts).
 */
@ApiExcludeController()
@Public()
@Controller(OPEN311_PREFIX.slice(1))
export class Open311Controller {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly access: Open311Access,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(withFormats('discovery'))
  discovery(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    return send(
      reply,
      writeDiscovery(formatOfPath(request.url), {
        changeset: OPEN311_CHANGESET,
        contact: 'the partnership’s administrators',
        keyService: 'API keys are issued by the partnership’s administrators (POST /v1/open311/clients)',
        url: `${request.protocol}://${request.host}${OPEN311_PREFIX}`,
      }),
    );
  }

  @Get(withFormats('services'))
  async services(@Req() request: FastifyRequest, @Query() query: Params, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const partnership = await this.access.partnership(param(query, 'jurisdiction_id'));
    const services = reportable(await this.access.settings(partnership));
    return send(reply, writeServices(formatOfPath(request.url), services.map((s) => ({ code: s.category, name: s.name, description: s.description }))));
  }

  @Get('services/:code')
  async service(@Req() request: FastifyRequest, @Param('code') code: string, @Query() query: Params, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const partnership = await this.access.partnership(param(query, 'jurisdiction_id'));
    const service = reportable(await this.access.settings(partnership)).find((s) => s.category === withoutFormat(code));
    if (service === undefined) throw new ApiError('NOT_FOUND', `service ${withoutFormat(code)} is not offered here`);
    return send(reply, writeServiceDefinition(formatOfPath(request.url), service.category));
  }

  @Get(withFormats('requests'))
  async requests(@Req() request: FastifyRequest, @Query() query: Params, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const client = await this.access.optionalClient(param(query, 'api_key'));
    const partnership = await this.access.partnership(param(query, 'jurisdiction_id'), client);
    const rows = await this.queryBus.execute(
      new Open311RequestsQuery(partnership, this.filters(query), SENSITIVE_OPEN311_CATEGORIES, client?.clientId, MAX_REQUESTS),
    );
    return send(reply, writeRequests(formatOfPath(request.url), await this.entries(partnership, rows)));
  }

  @Get('requests/:id')
  async request(@Req() request: FastifyRequest, @Param('id') id: string, @Query() query: Params, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const client = await this.access.optionalClient(param(query, 'api_key'));
    const partnership = await this.access.partnership(param(query, 'jurisdiction_id'), client);
    const requestId = withoutFormat(id).toLowerCase();
    const rows = isUuid(requestId)
      ? await this.queryBus.execute(new Open311RequestsQuery(partnership, { ids: [requestId], from: '', to: '' }, SENSITIVE_OPEN311_CATEGORIES, client?.clientId, 1))
      : [];
    if (rows.length === 0) throw new ApiError('NOT_FOUND', `service request ${withoutFormat(id)} not found`);
    return send(reply, writeRequests(formatOfPath(request.url), await this.entries(partnership, rows)));
  }

  /** FixMyStreet's extension: the client's own reports' status changes, oldest first. */
  @Get(withFormats('servicerequestupdates'))
  async updates(@Req() request: FastifyRequest, @Query() query: Params, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const client = await this.access.client(param(query, 'api_key'));
    await this.access.partnership(param(query, 'jurisdiction_id'), client);
    const { from, to } = this.window(query);
    const rows = await this.queryBus.execute(new Open311UpdatesQuery(client.clientId, from, to, MAX_REQUESTS));
    return send(
      reply,
      writeUpdates(
        formatOfPath(request.url),
        rows.map((row) => ({ updateId: row.update_id, serviceRequestId: row.incident_id, status: row.status, updatedAt: row.updated_at, description: row.description })),
      ),
    );
  }

  private filters(query: Params): Open311RequestFilters {
    const ids = param(query, 'service_request_id')?.split(',').map((id) => id.trim().toLowerCase()).filter((id) => id !== '');
    if (ids !== undefined && (ids.length > MAX_REQUESTS || !ids.every(isUuid))) {
      throw invalid('service_request_id', `service_request_id must be a comma-separated list of at most ${MAX_REQUESTS} request ids`);
    }
    const categories = param(query, 'service_code')?.split(',').map((code) => code.trim()).filter((code) => code !== '');
    if (categories !== undefined && categories.length > 100) throw invalid('service_code', 'service_code must list at most 100 services');
    const status = param(query, 'status')?.toLowerCase();
    if (status !== undefined && status !== 'open' && status !== 'closed') throw invalid('status', 'status must be open or closed');
    return {
      ...this.window(query),
      ...(ids === undefined ? {} : { ids }),
      ...(categories === undefined ? {} : { categories }),
      ...(status === undefined ? {} : { status }),
    };
  }

  /** `[start_date, end_date)`: by default the 90 days to now; a date from 2000 to a day ahead. */
  private window(query: Params): { from: string; to: string } {
    const now = this.clock.now().getTime();
    const time = (name: string): number | undefined => {
      const value = param(query, name);
      if (value === undefined) return undefined;
      const ms = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms) || ms < Date.UTC(2000, 0, 1) || ms > now + DAY_MS) {
        throw invalid(name, `${name} must be a W3C date-time (e.g. 2026-03-01T09:00:00Z) from 2000 to a day from now`);
      }
      return ms;
    };
    const start = time('start_date');
    const end = time('end_date');
    const to = end ?? (start === undefined ? now + 1 : Math.min(start + DEFAULT_WINDOW_DAYS * DAY_MS, now + 1));
    const from = start ?? to - DEFAULT_WINDOW_DAYS * DAY_MS;
    if (from > to) throw invalid('start_date', 'start_date must not be after end_date');
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  }

  private async entries(partnership: string, rows: readonly Open311RequestRow[]): Promise<RequestEntry[]> {
    const settings = await this.access.settings(partnership);
    const names = new Map(open311ServicesOf(settings).map((service) => [service.category as string, service.name]));
    return rows.map((row) => ({
      serviceRequestId: row.incident_id,
      status: row.status,
      statusNotes: STATUS_NOTES[row.extended_status as ExtendedStatus],
      serviceName: names.get(row.category) ?? row.category,
      serviceCode: row.category,
      ...(settings.publicDescriptions && row.description !== null && row.description !== ERASED ? { description: row.description } : {}),
      agencyResponsible: partnership,
      requestedAt: row.requested_at,
      updatedAt: row.updated_at,
      ...(row.lat === null || row.lng === null ? {} : { lat: row.lat, long: row.lng }),
    }));
  }
}

const reportable = (settings: PartnershipState): Open311Service[] => open311ServicesOf(settings).filter((service) => service.reportable);

function send(reply: FastifyReply, document: Open311Document): string {
  void reply.type(document.contentType);
  return document.body;
}
