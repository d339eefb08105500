import type { AreaBoundary, CategoryMap, GroupMember, GroupSchedule, SourceKind } from '@tasking/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `agencies`: shared by every partnership. The webhook secret is never here, only the URL. */
@Entity({ name: 'agencies' })
export class AgencyEntity {
  @PrimaryColumn('text') code!: string;
  @Column('text') name!: string;
  @Column('text') kind!: string;
  @Column('boolean') active!: boolean;
  /** Set before webhooks were per partnership: serves the default partnership (unless it set its own). */
  @Column('text', { name: 'webhook_url', nullable: true }) webhookUrl!: string | null;
  /** The webhook URL of each partnership that set one, by partnership code. */
  @Column('jsonb', { name: 'webhook_urls' }) webhookUrls!: Record<string, string>;
  @Column('text', { name: 'deactivation_reason', nullable: true }) deactivationReason!: string | null;
  @Column('integer') revision!: number;
  @Column('text') position!: string;
}

/** `tasking_groups`: one partnership's group and the areas it covers; codes are per partnership. */
@Entity({ name: 'tasking_groups' })
export class TaskingGroupEntity {
  /** The id of its stream: `<partnership>.<code>`, or the code alone for a group registered before codes were per partnership. */
  @PrimaryColumn('text') id!: string;
  @Column('text') code!: string;
  @Column('text') partnership!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'area_codes', array: true }) areaCodes!: string[];
  @Column('integer') revision!: number;
  @Column('text') position!: string;
}

/** `tasking_group_schedules`: how a group meets, once it set a schedule or members; `id` is its `tasking_groups` row's. */
@Entity({ name: 'tasking_group_schedules' })
export class TaskingGroupScheduleEntity {
  @PrimaryColumn('text') id!: string;
  /** Null until a schedule is set. */
  @Column('jsonb', { nullable: true }) schedule!: GroupSchedule | null;
  @Column('jsonb') members!: GroupMember[];
  @Column('integer') revision!: number;
  @Column('text') position!: string;
}

/** `areas`: with a centroid and, optionally, a GeoJSON polygon boundary. */
@Entity({ name: 'areas' })
export class AreaEntity {
  @PrimaryColumn('text') code!: string;
  @Column('text') partnership!: string;
  @Column('text') name!: string;
  @Column('double precision', { name: 'centroid_lat' }) centroidLat!: number;
  @Column('double precision', { name: 'centroid_lng' }) centroidLng!: number;
  @Column('jsonb', { nullable: true }) boundary!: AreaBoundary | null;
  /** Upper-case ONS codes. */
  @Column('text', { name: 'lsoa_codes', array: true }) lsoaCodes!: string[];
  @Column('text', { array: true }) neighbours!: string[];
  @Column('text', { name: 'external_code', nullable: true }) externalCode!: string | null;
  @Column('integer') revision!: number;
  @Column('text') position!: string;
}

/** `sources`: a partnership's registered sources of incidents; codes are per partnership. */
@Entity({ name: 'sources' })
export class SourceEntity {
  /** The id of its stream: `<partnership>.<code>`. */
  @PrimaryColumn('text') id!: string;
  @Column('text') code!: string;
  @Column('text') partnership!: string;
  @Column('text') name!: string;
  @Column('text') kind!: SourceKind;
  @Column('boolean') triage!: boolean;
  @Column('jsonb', { name: 'category_map' }) categoryMap!: CategoryMap;
  @Column('integer') revision!: number;
  @Column('text') position!: string;
}
