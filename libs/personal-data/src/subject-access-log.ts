import type { Principal } from '@tasking/auth';
import type { Database } from '@tasking/event-store';
import { query, quoteIdent } from './sql';

/** One showing of subjects' personal fields: who, when, why (the route), which subjects. */
export interface SubjectAccess {
  problemId: string;
  subjectIds: readonly string[];
  principal: Principal;
  /** The route that showed them, e.g. `GET /v1/problems/:id`, with `?asAt` or the history page. */
  route: string;
  at: Date;
}

export interface SubjectAccessView {
  id: string;
  accessedAt: string;
  user: { userId: string; name: string; agency: string; roles: string[] };
  route: string;
  subjectIds: string[];
}

interface Row {
  id: string;
  accessed_at: Date;
  user_id: string;
  user_name: string;
  agency: string;
  roles: string[];
  route: string;
  subject_ids: string[];
}

/**
 * The access audit of personal data: append-only (`subject_access_log`, a trigger refuses
 * changes), outside the event streams, so reading never changes a problem's revision.
 */
export class SubjectAccessLog {
  private readonly table: string;

  constructor(private readonly db: Database) {
    this.table = `${quoteIdent(db.schema)}.subject_access_log`;
  }

  async record(access: SubjectAccess): Promise<void> {
    const { principal } = access;
    await query(
      this.db,
      `INSERT INTO ${this.table} (problem_id, subject_ids, accessed_at, user_id, user_name, agency, roles, route) VALUES ($1, $2::uuid[], $3, $4, $5, $6, $7::text[], $8)`,
      [access.problemId, [...access.subjectIds], access.at, principal.userId, principal.name, principal.agency, [...principal.roles], access.route],
    );
  }

  /** A problem's access records, newest first, `limit` after the record `beforeId` (a cursor). */
  async list(problemId: string, limit: number, beforeId?: string): Promise<{ items: SubjectAccessView[]; more: boolean }> {
    const rows = await query<Row>(
      this.db,
      `SELECT id::text AS id, accessed_at, user_id, user_name, agency, roles, route, subject_ids::text[] AS subject_ids FROM ${this.table}
        WHERE problem_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint) ORDER BY id DESC LIMIT $3`,
      [problemId, beforeId ?? null, limit + 1],
    );
    return {
      more: rows.length > limit,
      items: rows.slice(0, limit).map((row) => ({
        id: row.id,
        accessedAt: row.accessed_at.toISOString(),
        user: { userId: row.user_id, name: row.user_name, agency: row.agency, roles: row.roles },
        route: row.route,
        subjectIds: row.subject_ids,
      })),
    };
  }
}
