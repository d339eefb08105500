import type { AttendanceStatus } from '@tasking/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `meetings`: one row per tasking meeting. Written by the `meetings` projection. */
@Entity({ name: 'meetings' })
export class MeetingEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') partnership!: string;
  @Column('text', { name: 'group_code' }) groupCode!: string;
  @Column('text', { name: 'held_on' }) heldOn!: string;
  @Column('timestamptz', { name: 'held_at' }) heldAt!: Date;
  @Column('text') chair!: string;
  @Column('text') status!: 'open' | 'closed';
  @Column('text', { name: 'minutes_note', nullable: true }) minutesNote!: string | null;
  @Column('integer') revision!: number;
  @Column('text') position!: string;
}

@Entity({ name: 'meeting_attendees' })
export class MeetingAttendeeEntity {
  @PrimaryColumn('uuid', { name: 'meeting_id' }) meetingId!: string;
  @PrimaryColumn('text') name!: string;
  @PrimaryColumn('text') agency!: string;
  @Column('text') position!: string;
  @Column('integer') ordinal!: number;
  @Column('text') status!: AttendanceStatus;
  /** The member a deputy attends for. */
  @Column('text', { name: 'deputising_for', nullable: true }) deputisingFor!: string | null;
}

@Entity({ name: 'meeting_problems' })
export class MeetingProblemEntity {
  @PrimaryColumn('uuid', { name: 'meeting_id' }) meetingId!: string;
  @PrimaryColumn('uuid', { name: 'problem_id' }) problemId!: string;
  @Column('text') position!: string;
}
