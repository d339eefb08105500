import { asDomainEvent, parseStreamName, type GroupMember, type GroupSchedule } from '@tasking/domain';
import type { RecordedEvent } from '@tasking/event-store';
import { RowBatch } from '../sql';

export interface AgencyRow {
  [column: string]: unknown;
  code: string;
  name: string;
  kind: string;
  active: boolean;
  /** The URLs only: the secret never reaches an event or a read model. One set before webhooks were per partnership. */
  webhook_url: string | null;
  /** Each partnership's, by partnership code. */
  webhook_urls: Record<string, string>;
  deactivation_reason: string | null;
  revision: number;
  position: string;
}

export interface GroupRow {
  [column: string]: unknown;
  /** The stream's id (`<partnership>.<code>`, or the code alone for a group registered before codes were per partnership). */
  id: string;
  code: string;
  partnership: string;
  name: string;
  area_codes: string[];
  revision: number;
  position: string;
}

export interface GroupScheduleRow {
  [column: string]: unknown;
  /** The group's row id. */
  id: string;
  schedule: GroupSchedule | null;
  members: GroupMember[];
  revision: number;
  position: string;
}

export interface AreaRow {
  [column: string]: unknown;
  code: string;
  partnership: string;
  name: string;
  centroid_lat: number;
  centroid_lng: number;
  boundary: unknown;
  lsoa_codes: string[];
  neighbours: string[];
  external_code: string | null;
  revision: number;
  position: string;
}

export interface SourceRow {
  [column: string]: unknown;
  /** The stream's id, `<partnership>.<code>`. */
  id: string;
  code: string;
  partnership: string;
  name: string;
  kind: string;
  triage: boolean;
  category_map: Record<string, string>;
  revision: number;
  position: string;
}

export class ReferenceBatch {
  readonly agencies = new RowBatch<AgencyRow>({ name: 'agencies', key: 'code', keyType: 'text' });
  readonly groups = new RowBatch<GroupRow>({ name: 'tasking_groups', key: 'id', keyType: 'text' });
  readonly groupSchedules = new RowBatch<GroupScheduleRow>({ name: 'tasking_group_schedules', key: 'id', keyType: 'text' });
  readonly areas = new RowBatch<AreaRow>({ name: 'areas', key: 'code', keyType: 'text' });
  readonly sources = new RowBatch<SourceRow>({ name: 'sources', key: 'id', keyType: 'text' });
}

export function foldReferenceEvent(batch: ReferenceBatch, recorded: RecordedEvent): void {
  const stream = parseStreamName(recorded.stream);
  const event = asDomainEvent(recorded);
  if (!stream || !event) return;
  const at = { revision: recorded.revision, position: recorded.position };
  const code = stream.id;
  switch (event.type) {
    case 'AgencyRegistered':
      batch.agencies.put(code, {
        code,
        name: event.data.name,
        kind: event.data.kind,
        active: true,
        webhook_url: null,
        webhook_urls: {},
        deactivation_reason: null,
        ...at,
      });
      return;
    case 'AgencyWebhookSet': {
      const { url, partnership } = event.data;
      if (partnership === undefined) batch.agencies.patch(code, { ...at, webhook_url: url });
      else batch.agencies.patch(code, { ...at, webhook_urls: { ...batch.agencies.get(code)?.webhook_urls, [partnership]: url } });
      return;
    }
    case 'AgencyDeactivated':
      batch.agencies.patch(code, { ...at, active: false, deactivation_reason: event.data.reason });
      return;
    case 'TaskingGroupRegistered':
      batch.groups.put(code, { id: code, code: event.data.code, partnership: event.data.partnership, name: event.data.name, area_codes: [...event.data.areaCodes], ...at });
      return;
    case 'GroupScheduleSet':
      batch.groupSchedules.put(code, { ...groupScheduleOf(batch, code), ...at, schedule: { ...event.data } });
      return;
    case 'GroupMembersSet':
      batch.groupSchedules.put(code, { ...groupScheduleOf(batch, code), ...at, members: event.data.members.map((m) => ({ ...m })) });
      return;
    case 'AreaRegistered':
      batch.areas.put(code, {
        code,
        partnership: event.data.partnership,
        name: event.data.name,
        centroid_lat: event.data.centroid.lat,
        centroid_lng: event.data.centroid.lng,
        boundary: event.data.boundary ?? null,
        lsoa_codes: [...(event.data.lsoaCodes ?? [])],
        neighbours: [...(event.data.neighbours ?? [])],
        external_code: event.data.externalCode ?? null,
        ...at,
      });
      return;
    case 'AreaUpdated': {
      const { name, centroid, boundary, lsoaCodes, neighbours, externalCode } = event.data;
      batch.areas.patch(code, {
        ...at,
        ...(name !== undefined ? { name } : {}),
        ...(centroid !== undefined ? { centroid_lat: centroid.lat, centroid_lng: centroid.lng } : {}),
        ...(boundary !== undefined ? { boundary } : {}),
        ...(lsoaCodes !== undefined ? { lsoa_codes: [...lsoaCodes] } : {}),
        ...(neighbours !== undefined ? { neighbours: [...neighbours] } : {}),
        ...(externalCode !== undefined ? { external_code: externalCode } : {}),
      });
      return;
    }
    case 'SourceRegistered': {
      const { partnership, name, kind, triage, categoryMap } = event.data;
      batch.sources.put(code, { id: code, code: event.data.code, partnership, name, kind, triage, category_map: { ...categoryMap }, ...at });
      return;
    }
    case 'SourceUpdated': {
      const { name, kind, triage, categoryMap } = event.data;
      batch.sources.patch(code, {
        ...at,
        ...(name !== undefined ? { name } : {}),
        ...(kind !== undefined ? { kind } : {}),
        ...(triage !== undefined ? { triage } : {}),
        ...(categoryMap !== undefined ? { category_map: { ...categoryMap } } : {}),
      });
      return;
    }
    default:
      return;
  }
}

const groupScheduleOf = (batch: ReferenceBatch, id: string): GroupScheduleRow =>
  batch.groupSchedules.get(id) ?? { id, schedule: null, members: [], revision: 0, position: '' };
