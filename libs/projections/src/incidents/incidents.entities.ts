import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IncidentStatus } from './incidents.fold';

/** `incident_points`: one row per incident, no personal field. Written by the `incidents` projection. */
@Entity({ name: 'incident_points' })
export class IncidentPointEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') partnership!: string;
  @Column('text') source!: string;
  @Column('text') channel!: string;
  @Column('text') category!: string;
  @Column('text', { name: 'source_category' }) sourceCategory!: string;
  @Column('text') status!: IncidentStatus;
  @Column('boolean') triage!: boolean;
  @Column('boolean') unmapped!: boolean;
  @Column('text', { name: 'area_code', nullable: true }) areaCode!: string | null;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('text') precision!: string;
  /** The local date it names (a date or month as given; an exact time's date in the counts' zone). */
  @Column('date', { name: 'occurred_on' }) occurredOn!: string;
  @Column('date', { nullable: true }) week!: string | null;
  @Column('date') month!: string;
  @Column('double precision', { nullable: true }) lat!: number | null;
  @Column('double precision', { nullable: true }) lng!: number | null;
  @Column('uuid', { name: 'problem_id', nullable: true }) problemId!: string | null;
  @Column('uuid', { name: 'duplicate_of', nullable: true }) duplicateOf!: string | null;
  @Column('text', { name: 'import_id', nullable: true }) importId!: string | null;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt!: Date;
  @Column('integer') revision!: number;
  @Column('text') position!: string;
}

/** `incident_counts_weekly`: counted incidents per partnership, area, category, source and ISO week (its Monday). */
@Entity({ name: 'incident_counts_weekly' })
export class IncidentCountWeeklyEntity {
  @PrimaryColumn('text') partnership!: string;
  @PrimaryColumn('text', { name: 'area_code' }) areaCode!: string;
  @PrimaryColumn('text') category!: string;
  @PrimaryColumn('text') source!: string;
  @PrimaryColumn('date') week!: string;
  @Column('integer') count!: number;
}

/** `incident_counts_monthly`: counted incidents per partnership, area, category, source and calendar month (its first day). */
@Entity({ name: 'incident_counts_monthly' })
export class IncidentCountMonthlyEntity {
  @PrimaryColumn('text') partnership!: string;
  @PrimaryColumn('text', { name: 'area_code' }) areaCode!: string;
  @PrimaryColumn('text') category!: string;
  @PrimaryColumn('text') source!: string;
  @PrimaryColumn('date') month!: string;
  @Column('integer') count!: number;
}

/** `incident_source_coverage`: how far each source's incidents reach. */
@Entity({ name: 'incident_source_coverage' })
export class IncidentSourceCoverageEntity {
  @PrimaryColumn('text') partnership!: string;
  @PrimaryColumn('text') source!: string;
  @Column('timestamptz', { name: 'latest_occurred_at' }) latestOccurredAt!: Date;
  /** Reports arrive live (Open311, console): covered until now. */
  @Column('boolean') live!: boolean;
  /** The end of the latest month a complete import declared (exclusive); set by imports. */
  @Column('date', { name: 'complete_until', nullable: true }) completeUntil!: string | null;
}
