import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { evolvePartnership, initialPartnershipState, type PartnershipState } from '@tasking/domain';
import { Open311ClientsByPrefixQuery, PartnershipSettingsQuery, PartnershipsByJurisdictionQuery, type Open311ClientRow } from '@tasking/projections';
import { CONFIG } from '@tasking/runtime';
import { ApiError, CLOCK, type Clock, type Config } from '@tasking/shared';
import { API_KEY, apiKeyMatches, keyPrefixOf } from './api-keys';

export type Open311Client = { clientId: string; partnership: string; externalIdAttribute?: string };

/**
 * Who is calling the Open311 routes and for which partnership: the client an `api_key` names, the
 * partnership a `jurisdiction_id` names, and each key's budget of posts per minute.
 */
@Injectable()
export class Open311Access {
  /** Posts per client in the current minute (this process's count). */
  private readonly windows = new Map<string, { minute: number; count: number }>();

  constructor(
    private readonly queryBus: QueryBus,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The active client whose key this is; 403 for an unknown, malformed or revoked key. */
  async client(apiKey: string | undefined): Promise<Open311Client> {
    if (apiKey === undefined || apiKey === '') throw new ApiError('FORBIDDEN_ROLE', 'api_key is required');
    const rows: Open311ClientRow[] = API_KEY.test(apiKey) ? await this.queryBus.execute(new Open311ClientsByPrefixQuery(keyPrefixOf(apiKey))) : [];
    const row = rows.find((candidate) => apiKeyMatches(apiKey, candidate.key_hash));
    if (row === undefined || row.revoked) throw new ApiError('FORBIDDEN_ROLE', 'api_key is not valid');
    return { clientId: row.client_id, partnership: row.partnership, ...(row.external_id_attribute === null ? {} : { externalIdAttribute: row.external_id_attribute }) };
  }

  /** A client's key where one is given (GETs show more to the client that posted), else none. */
  async optionalClient(apiKey: string | undefined): Promise<Open311Client | undefined> {
    return apiKey === undefined || apiKey === '' ? undefined : this.client(apiKey);
  }

  /**
   * The partnership a request is for: the client's, which `jurisdiction_id` must then name; else the
   * partnership `jurisdiction_id` names by code or alias; else the deployment's only one.
   */
  async partnership(jurisdictionId: string | undefined, client?: Open311Client): Promise<string> {
    const given = jurisdictionId === undefined || jurisdictionId.trim() === '' ? undefined : jurisdictionId.trim();
    if (client !== undefined) {
      if (given === undefined || given === client.partnership) return client.partnership;
      if ((await this.queryBus.execute(new PartnershipsByJurisdictionQuery(given))).includes(client.partnership)) return client.partnership;
      throw new ApiError('FORBIDDEN_ROLE', 'jurisdiction_id is not this client’s jurisdiction');
    }
    if (given === undefined) {
      if (this.config.partnerships.length === 1) return this.config.partnerships[0]!;
      throw new ApiError('VALIDATION_FAILED', 'jurisdiction_id is required', [{ field: 'jurisdiction_id', message: 'jurisdiction_id is required' }]);
    }
    if (this.config.partnerships.includes(given)) return given;
    const aliased: string[] = await this.queryBus.execute(new PartnershipsByJurisdictionQuery(given));
    const served = aliased.filter((partnership) => this.config.partnerships.includes(partnership));
    if (served.length !== 1) throw new ApiError('FORBIDDEN_ROLE', 'jurisdiction_id is not served here');
    return served[0]!;
  }

  /** The partnership's settings and services (defaults where it changed none). */
  async settings(partnership: string): Promise<PartnershipState> {
    const [row] = await this.queryBus.execute(new PartnershipSettingsQuery([partnership]));
    if (row === undefined) return initialPartnershipState;
    const services = Object.values(row.services);
    return services.reduce<PartnershipState>((state, service) => evolvePartnership(state, { type: 'Open311ServiceChanged', data: service }), {
      ...initialPartnershipState,
      open311Jurisdictions: row.open311_jurisdictions,
      publicDescriptions: row.public_descriptions,
    });
  }

  /** Counts a post against the client's budget; 429 with Retry-After once it is spent. */
  spend(client: Open311Client): void {
    const limit = this.config.open311RateLimitPerKeyPerMinute;
    if (limit === 0) return;
    const now = this.clock.now().getTime();
    const minute = Math.floor(now / 60_000);
    const window = this.windows.get(client.clientId);
    const current = window !== undefined && window.minute === minute ? window : { minute, count: 0 };
    if (current.count >= limit) {
      const seconds = Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000));
      throw new ApiError('RATE_LIMITED', `too many posts with this api_key: try again in ${seconds} s`, undefined, { 'retry-after': String(seconds) });
    }
    this.windows.set(client.clientId, { minute, count: current.count + 1 });
  }
}
