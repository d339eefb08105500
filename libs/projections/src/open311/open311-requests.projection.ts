import type { EntityManager } from 'typeorm';
import {
  STATUS_NOTES,
  asDomainEvent,
  extendedStatusOf,
  parseStreamName,
  publicCoordinate,
  publicStatusOf,
  type DismissReasonCode,
  type IncidentStanding,
  type Outcome,
} from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import type { Projection } from '../projection';
import { touchesKinds } from '../streams';
import { utc } from '../sql';

export interface Open311RequestRow {
  incident_id: string;
  partnership: string;
  /** The client that posted it: the part of its externalId before the first `:`. */
  client_id: string;
  category: string;
  /** Rounded to 3 decimal places: nothing finer is ever shown. */
  lat: number | null;
  lng: number | null;
  /** Personal: shown only where the partnership allows public descriptions; null once erased. */
  description: string | null;
  requested_at: string;
  updated_at: string;
  triage: IncidentStanding['triage'];
  dismiss_reason: DismissReasonCode | null;
  problem_id: string | null;
  duplicate_of: string | null;
  status: 'open' | 'closed';
  extended_status: string;
}

interface ProblemRow {
  problem_id: string;
  open: boolean;
  actions_agreed: boolean;
  outcome: Outcome | null;
}

/** The Open311 client an `open311` incident's externalId names: `<clientId>:<the client's own id>`. */
export const clientOfExternalId = (externalId: string): string => externalId.split(':')[0] ?? externalId;

const COLUMNS = [
  'incident_id', 'partnership', 'client_id', 'category', 'lat', 'lng', 'description', 'requested_at', 'updated_at',
  'triage', 'dismiss_reason', 'problem_id', 'duplicate_of', 'status', 'extended_status',
] as const;

async function requestsWhere(tx: EntityManager, where: string, values: unknown[]): Promise<Open311RequestRow[]> {
  const rows: { row: Open311RequestRow }[] = await tx.query(`SELECT to_jsonb(r) AS row FROM open311_requests r WHERE ${where}`, values);
  return rows.map(({ row }) => row);
}

async function problemOf(tx: EntityManager, problemId: string | null): Promise<ProblemRow | undefined> {
  if (problemId === null) return undefined;
  const rows: ProblemRow[] = await tx.query('SELECT problem_id, open, actions_agreed, outcome FROM open311_problems WHERE problem_id = $1', [problemId]);
  return rows[0];
}

async function save(tx: EntityManager, row: Open311RequestRow): Promise<void> {
  await tx.query(
    `INSERT INTO open311_requests SELECT * FROM jsonb_populate_record(NULL::open311_requests, $1::jsonb)
     ON CONFLICT (incident_id) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'incident_id').map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
    [JSON.stringify(row)],
  );
}

/**
 * Sets the row's statuses from its standing, saves it, and when the extended status changed records
 * an update (its id from the event's, so a rebuild gives the same rows); a request that closes
 * takes its duplicates with it.
 */
async function settle(tx: EntityManager, row: Open311RequestRow, recorded: RecordedEvent): Promise<void> {
  const problem = await problemOf(tx, row.problem_id);
  const original = row.duplicate_of === null ? [] : await requestsWhere(tx, 'r.incident_id = $1', [row.duplicate_of]);
  const standing: IncidentStanding = {
    triage: row.triage,
    ...(row.dismiss_reason === null ? {} : { dismissReason: row.dismiss_reason }),
    ...(problem === undefined ? {} : { problem: { open: problem.open, actionsAgreed: problem.actions_agreed, ...(problem.outcome === null ? {} : { outcome: problem.outcome }) } }),
    originalClosed: original[0]?.status === 'closed',
  };
  const status = publicStatusOf(standing);
  const extended = extendedStatusOf(standing);
  const at = utc(recorded.recordedAt);
  const changed = extended !== row.extended_status || status !== row.status;
  const next = { ...row, status, extended_status: extended, updated_at: changed ? at : row.updated_at };
  await save(tx, next);
  if (extended !== row.extended_status) {
    await tx.query(
      `INSERT INTO open311_request_updates (update_id, incident_id, client_id, status, updated_at, description) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (update_id) DO NOTHING`,
      [`${recorded.eventId}.${row.incident_id}`, row.incident_id, row.client_id, extended, at, STATUS_NOTES[extended]],
    );
  }
  if (status !== row.status) {
    for (const duplicate of await requestsWhere(tx, 'r.duplicate_of = $1', [row.incident_id])) await settle(tx, duplicate, recorded);
  }
}

/** The requests of the problem's incidents, settled again after the problem changed. */
async function settleProblem(tx: EntityManager, problemId: string, recorded: RecordedEvent): Promise<void> {
  for (const row of await requestsWhere(tx, 'r.problem_id = $1', [problemId])) await settle(tx, row, recorded);
}

/**
 * The incidents reported over Open311, for `GET requests` and `GET servicerequestupdates`: their
 * public and extended statuses follow triage and the problems they are linked to.
 */
export const open311RequestsProjection: Projection = {
  name: 'open311-requests',
  tables: ['open311_requests', 'open311_problems', 'open311_request_updates'],
  async apply(tx: EntityManager, events: readonly RecordedEvent[]): Promise<void> {
    if (!touchesKinds(events, ['incident', 'problem'])) return;
    for (const recorded of events) {
      const stream = parseStreamName(recorded.stream);
      const event = asDomainEvent(recorded);
      if (!stream || !event) continue;
      if (stream.kind === 'problem') {
        switch (event.type) {
          case 'ProblemRaised':
            await tx.query('INSERT INTO open311_problems (problem_id, open, actions_agreed) VALUES ($1, true, false) ON CONFLICT DO NOTHING', [stream.id]);
            break;
          case 'ActionAgreed':
            await tx.query('UPDATE open311_problems SET actions_agreed = true WHERE problem_id = $1', [stream.id]);
            await settleProblem(tx, stream.id, recorded);
            break;
          case 'ProblemClosed':
            await tx.query('UPDATE open311_problems SET open = false, outcome = $2 WHERE problem_id = $1', [stream.id, event.data.outcome]);
            await settleProblem(tx, stream.id, recorded);
            break;
          case 'ProblemReopened':
            await tx.query('UPDATE open311_problems SET open = true WHERE problem_id = $1', [stream.id]);
            await settleProblem(tx, stream.id, recorded);
            break;
          default:
            break;
        }
        continue;
      }
      if (stream.kind !== 'incident') continue;
      if (event.type === 'IncidentRecorded') {
        const { data } = event;
        if (data.channel !== 'open311') continue;
        const at = utc(recorded.recordedAt);
        const row: Open311RequestRow = {
          incident_id: stream.id,
          partnership: data.partnership,
          client_id: clientOfExternalId(data.externalId),
          category: data.category,
          lat: data.location.lat === undefined ? null : publicCoordinate(data.location.lat),
          lng: data.location.lng === undefined ? null : publicCoordinate(data.location.lng),
          description: data.description ?? null,
          requested_at: utc(data.reportedAt) ?? at,
          updated_at: at,
          triage: data.triage ? 'untriaged' : 'recorded',
          dismiss_reason: null,
          problem_id: null,
          duplicate_of: null,
          status: 'open',
          extended_status: 'OPEN',
        };
        await settle(tx, row, recorded);
        continue;
      }
      const [row] = await requestsWhere(tx, 'r.incident_id = $1', [stream.id]);
      if (row === undefined) continue;
      switch (event.type) {
        case 'IncidentUpdated': {
          const { category, location, description } = event.data;
          await settle(
            tx,
            {
              ...row,
              ...(category === undefined ? {} : { category }),
              ...(location === undefined
                ? {}
                : { lat: location.lat === undefined ? null : publicCoordinate(location.lat), lng: location.lng === undefined ? null : publicCoordinate(location.lng) }),
              ...(description === undefined ? {} : { description }),
              updated_at: utc(recorded.recordedAt),
            },
            recorded,
          );
          break;
        }
        case 'IncidentLinked':
          await settle(tx, { ...row, triage: 'linked', problem_id: event.data.problemId }, recorded);
          break;
        case 'IncidentUnlinked':
          await settle(tx, { ...row, triage: 'untriaged', problem_id: null }, recorded);
          break;
        case 'IncidentMarkedDuplicate':
          await settle(tx, { ...row, triage: 'duplicate', duplicate_of: event.data.of }, recorded);
          break;
        case 'IncidentDismissed':
          await settle(tx, { ...row, triage: 'dismissed', dismiss_reason: event.data.reasonCode }, recorded);
          break;
        case 'IncidentWithdrawn':
          await settle(tx, { ...row, triage: 'withdrawn' }, recorded);
          break;
        case 'IncidentPersonalDataErased':
          await save(tx, { ...row, description: null });
          break;
        default:
          break;
      }
    }
  },
};
