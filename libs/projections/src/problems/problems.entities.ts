import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `problems`: one row per problem, as its events left it. Written by the `problems` projection. */
@Entity({ name: 'problems' })
export class ProblemEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') partnership!: string;
  @Column('text') title!: string;
  @Column('text') description!: string;
  @Column('text') category!: string;
  @Column('text', { name: 'area_code' }) areaCode!: string;
  @Column('double precision', { nullable: true }) lat!: number | null;
  @Column('double precision', { nullable: true }) lng!: number | null;
  @Column('text', { nullable: true }) address!: string | null;
  @Column('text', { nullable: true }) priority!: string | null;
  @Column('integer', { name: 'harm_score', nullable: true }) harmScore!: number | null;
  @Column('text') source!: string;
  @Column('text', { name: 'group_code', nullable: true }) groupCode!: string | null;
  /** Its case reference (`SAFE-2026-0142`); null for a problem raised before references. */
  @Column('text', { nullable: true }) reference!: string | null;
  @Column('text') status!: 'open' | 'closed';
  @Column('timestamptz', { name: 'raised_at' }) raisedAt!: Date;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column('text', { nullable: true }) outcome!: string | null;
  @Column('text', { nullable: true }) displacement!: string | null;
  @Column('boolean', { name: 'diffusion_of_benefits', nullable: true }) diffusionOfBenefits!: boolean | null;
  @Column('text', { nullable: true }) assessment!: string | null;
  @Column('boolean', { name: 'closed_with_override', nullable: true }) closedWithOverride!: boolean | null;
  @Column('text', { name: 'last_rag', nullable: true }) lastRag!: string | null;
  @Column('jsonb', { nullable: true }) analysis!: { victim: string | null; offender: string | null; location: string | null; hypotheses: string[] } | null;
  @Column('integer') closures!: number;
  @Column('integer') reopenings!: number;
  /** The agency of the inspector who raised it (one of the agencies that see its subjects); null when unknown. */
  @Column('text', { name: 'raised_by_agency', nullable: true }) raisedByAgency!: string | null;
  /** When the retention erasure ran for the latest closure (null while open or not yet due). */
  @Column('timestamptz', { name: 'personal_data_erased_at', nullable: true }) personalDataErasedAt!: Date | null;
  @Column('integer') revision!: number;
  @Column('text') position!: string;
}

/**
 * `problem_subjects`: the people named on problems. Holds their personal fields (decrypted from
 * the log, exactly what a rebuild writes) until the subject is erased: then they are NULL.
 */
@Entity({ name: 'problem_subjects' })
export class ProblemSubjectEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'problem_id' }) problemId!: string;
  @Column('text') partnership!: string;
  @Column('text') role!: string;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { name: 'date_of_birth', nullable: true }) dateOfBirth!: string | null;
  @Column('text', { nullable: true }) address!: string | null;
  @Column('text', { nullable: true }) notes!: string | null;
  @Column('timestamptz', { name: 'added_at' }) addedAt!: Date;
  @Column('boolean') erased!: boolean;
  @Column('timestamptz', { name: 'erased_at', nullable: true }) erasedAt!: Date | null;
  @Column('integer') revision!: number;
  @Column('text') position!: string;
}

/** `actions`: one row per action; `status` is unclaimed, claimed, declined, discharged or cancelled. */
@Entity({ name: 'actions' })
export class ActionEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'problem_id' }) problemId!: string;
  @Column('text') partnership!: string;
  @Column('text') agency!: string;
  @Column('text') description!: string;
  @Column('text', { name: 'tactic_category' }) tacticCategory!: string;
  @Column('text', { name: 'tactic_name' }) tacticName!: string;
  @Column('timestamptz', { name: 'due_by' }) dueBy!: Date;
  @Column('integer', { name: 'due_by_revision' }) dueByRevision!: number;
  @Column('text') status!: 'unclaimed' | 'claimed' | 'declined' | 'discharged' | 'cancelled';
  @Column('text', { name: 'claimed_by_user_id', nullable: true }) claimedByUserId!: string | null;
  @Column('text', { name: 'claimed_by_name', nullable: true }) claimedByName!: string | null;
  @Column('text', { name: 'decline_reason_code', nullable: true }) declineReasonCode!: string | null;
  @Column('text', { name: 'decline_note', nullable: true }) declineNote!: string | null;
  @Column('timestamptz', { name: 'assigned_at' }) assignedAt!: Date;
  @Column('timestamptz', { name: 'discharged_at', nullable: true }) dischargedAt!: Date | null;
  @Column('text', { nullable: true }) result!: string | null;
  @Column('text', { name: 'discharge_note', nullable: true }) dischargeNote!: string | null;
  @Column('text', { name: 'cancel_reason', nullable: true }) cancelReason!: string | null;
  @Column('uuid', { name: 'meeting_id', nullable: true }) meetingId!: string | null;
  /** Its case reference (`SAFE-2026-0142/3`); null when its problem has none. */
  @Column('text', { nullable: true }) reference!: string | null;
  @Column('integer') escalations!: number;
  @Column('integer', { name: 'escalated_due_by_revision', nullable: true }) escalatedDueByRevision!: number | null;
  @Column('integer') reassignments!: number;
  @Column('integer') interventions!: number;
  @Column('integer') revision!: number;
  @Column('text') position!: string;
}

/** `interventions`: what an agency did under an action. */
@Entity({ name: 'interventions' })
export class InterventionEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'action_id' }) actionId!: string;
  @Column('uuid', { name: 'problem_id' }) problemId!: string;
  @Column('text') partnership!: string;
  @Column('text') agency!: string;
  @Column('text', { name: 'tactic_category' }) tacticCategory!: string;
  @Column('text', { name: 'tactic_name' }) tacticName!: string;
  @Column('text') description!: string;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('integer') revision!: number;
  @Column('text') position!: string;
}
