import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ReadModels } from '../read-models';
import { READ_MODELS } from '../query-sources';
import type { Open311RequestRow } from './open311-requests.projection';
import type { Open311ClientRow, PartnershipSettingsRow } from './open311-settings.projection';

/** The clients whose key starts with `keyPrefix` (the caller compares the hash). */
export class Open311ClientsByPrefixQuery extends Query<Open311ClientRow[]> {
  constructor(readonly keyPrefix: string) {
    super();
  }
}

@QueryHandler(Open311ClientsByPrefixQuery)
export class Open311ClientsByPrefixHandler implements IQueryHandler<Open311ClientsByPrefixQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ keyPrefix }: Open311ClientsByPrefixQuery): Promise<Open311ClientRow[]> {
    return this.readModels.dataSource.query('SELECT * FROM open311_clients WHERE key_prefix = $1 ORDER BY client_id', [keyPrefix]);
  }
}

/** The settings of the partnerships that changed any (a partnership without a row has the defaults). */
export class PartnershipSettingsQuery extends Query<PartnershipSettingsRow[]> {
  constructor(readonly partnerships: readonly string[]) {
    super();
  }
}

@QueryHandler(PartnershipSettingsQuery)
export class PartnershipSettingsHandler implements IQueryHandler<PartnershipSettingsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ partnerships }: PartnershipSettingsQuery): Promise<PartnershipSettingsRow[]> {
    return this.readModels.dataSource.query('SELECT * FROM partnership_settings WHERE partnership = ANY($1::text[]) ORDER BY partnership', [[...partnerships]]);
  }
}

/** The partnerships that list `jurisdictionId` among their Open311 jurisdictions. */
export class PartnershipsByJurisdictionQuery extends Query<string[]> {
  constructor(readonly jurisdictionId: string) {
    super();
  }
}

@QueryHandler(PartnershipsByJurisdictionQuery)
export class PartnershipsByJurisdictionHandler implements IQueryHandler<PartnershipsByJurisdictionQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ jurisdictionId }: PartnershipsByJurisdictionQuery): Promise<string[]> {
    const rows: { partnership: string }[] = await this.readModels.dataSource.query(
      'SELECT partnership FROM partnership_settings WHERE open311_jurisdictions ? $1 ORDER BY partnership',
      [jurisdictionId],
    );
    return rows.map((row) => row.partnership);
  }
}

export type Open311RequestFilters = {
  ids?: readonly string[];
  categories?: readonly string[];
  status?: 'open' | 'closed';
  /** Requested at or after. */
  from: string;
  /** Requested before. */
  to: string;
};

/**
 * A partnership's Open311 requests, newest first, at most `limit`. Requests in the `sensitive`
 * categories are listed only to the client that posted them (`viewerClientId`).
 */
export class Open311RequestsQuery extends Query<Open311RequestRow[]> {
  constructor(
    readonly partnership: string,
    readonly filters: Open311RequestFilters,
    readonly sensitive: readonly string[],
    readonly viewerClientId: string | undefined,
    readonly limit: number,
  ) {
    super();
  }
}

@QueryHandler(Open311RequestsQuery)
export class Open311RequestsHandler implements IQueryHandler<Open311RequestsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ partnership, filters, sensitive, viewerClientId, limit }: Open311RequestsQuery): Promise<Open311RequestRow[]> {
    const where = ['r.partnership = $1', '(r.category <> ALL($2::text[]) OR r.client_id = $3)'];
    const values: unknown[] = [partnership, [...sensitive], viewerClientId ?? ''];
    const add = (clause: (n: string) => string, value: unknown): void => {
      values.push(value);
      where.push(clause(`$${values.length}`));
    };
    if (filters.ids !== undefined) add((n) => `r.incident_id = ANY(${n}::uuid[])`, [...filters.ids]);
    else {
      add((n) => `r.requested_at >= ${n}`, filters.from);
      add((n) => `r.requested_at < ${n}`, filters.to);
    }
    if (filters.categories !== undefined) add((n) => `r.category = ANY(${n}::text[])`, [...filters.categories]);
    if (filters.status !== undefined) add((n) => `r.status = ${n}`, filters.status);
    values.push(limit);
    return this.readModels.dataSource.query(
      `SELECT incident_id, partnership, client_id, category, lat, lng, description, status, extended_status, triage, dismiss_reason, problem_id, duplicate_of,
              to_char(requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS requested_at,
              to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
         FROM open311_requests r WHERE ${where.join(' AND ')}
        ORDER BY r.requested_at DESC, r.incident_id LIMIT $${values.length}`,
      values,
    );
  }
}

export type Open311UpdateRow = { update_id: string; incident_id: string; status: string; updated_at: string; description: string };

/** One client's updates in `[from, to)`, oldest first, at most `limit`. */
export class Open311UpdatesQuery extends Query<Open311UpdateRow[]> {
  constructor(
    readonly clientId: string,
    readonly from: string,
    readonly to: string,
    readonly limit: number,
  ) {
    super();
  }
}

@QueryHandler(Open311UpdatesQuery)
export class Open311UpdatesHandler implements IQueryHandler<Open311UpdatesQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ clientId, from, to, limit }: Open311UpdatesQuery): Promise<Open311UpdateRow[]> {
    return this.readModels.dataSource.query(
      `SELECT update_id, incident_id, status, description, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at
         FROM open311_request_updates WHERE client_id = $1 AND updated_at >= $2 AND updated_at < $3
        ORDER BY updated_at, update_id LIMIT $4`,
      [clientId, from, to, limit],
    );
  }
}
