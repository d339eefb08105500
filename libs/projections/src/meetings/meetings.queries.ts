import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { In } from 'typeorm';
import type { ReadModels } from '../read-models';
import { READ_MODELS, type TimeIdKey } from '../query-sources';
import { timeIdPage } from '../time-id-page';
import { ActionEntity, ProblemEntity } from '../problems/problems.entities';
import { MeetingAttendeeEntity, MeetingEntity, MeetingProblemEntity } from './meetings.entities';

export interface MeetingFilters {
  groupCode?: string;
  /** Held at or after. */
  from?: Date;
  /** Held before. */
  to?: Date;
}

/** Meetings of `partnerships`, latest first: up to `limit + 1` rows (one more says a page follows). */
export class FindMeetingsQuery extends Query<MeetingEntity[]> {
  constructor(
    readonly partnerships: readonly string[],
    readonly filters: MeetingFilters,
    readonly limit: number,
    readonly after: TimeIdKey | undefined,
  ) {
    super();
  }
}

@QueryHandler(FindMeetingsQuery)
export class FindMeetingsHandler implements IQueryHandler<FindMeetingsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ partnerships, filters, limit, after }: FindMeetingsQuery) {
    const qb = timeIdPage(this.readModels, MeetingEntity, 'm', { partnerships, order: { column: 'heldAt', direction: 'DESC' }, limit, after });
    if (filters.groupCode) qb.andWhere('m.groupCode = :groupCode', { groupCode: filters.groupCode });
    if (filters.from) qb.andWhere('m.heldAt >= :from', { from: filters.from });
    if (filters.to) qb.andWhere('m.heldAt < :to', { to: filters.to });
    return qb.getMany();
  }
}

export interface MeetingRecord {
  meeting: MeetingEntity;
  attendees: MeetingAttendeeEntity[];
  tabled: MeetingProblemEntity[];
  problems: ProblemEntity[];
  /** Agreed at the meeting, by agency, then assignment. */
  actions: ActionEntity[];
}

/** The meeting's record (one snapshot) when it belongs to one of `partnerships`; else undefined. */
export class MeetingRecordQuery extends Query<MeetingRecord | undefined> {
  constructor(
    readonly meetingId: string,
    readonly partnerships: readonly string[],
  ) {
    super();
  }
}

@QueryHandler(MeetingRecordQuery)
export class MeetingRecordHandler implements IQueryHandler<MeetingRecordQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ meetingId: id, partnerships }: MeetingRecordQuery) {
    return this.readModels.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const meeting = await tx.findOneBy(MeetingEntity, { id });
      if (!meeting || !partnerships.includes(meeting.partnership)) return undefined;
      const attendees = await tx.findBy(MeetingAttendeeEntity, { meetingId: id });
      const tabled = await tx.findBy(MeetingProblemEntity, { meetingId: id });
      const problems = tabled.length === 0 ? [] : await tx.findBy(ProblemEntity, { id: In(tabled.map((t) => t.problemId)) });
      const actions = await tx.find(ActionEntity, { where: { meetingId: id }, order: { agency: 'ASC', assignedAt: 'ASC', id: 'ASC' } });
      return { meeting, attendees, tabled, problems, actions };
    });
  }
}

/** The meeting row alone (who may see it: its partnership); null when unknown. */
export class FindMeetingRowQuery extends Query<MeetingEntity | null> {
  constructor(readonly meetingId: string) {
    super();
  }
}

@QueryHandler(FindMeetingRowQuery)
export class FindMeetingRowHandler implements IQueryHandler<FindMeetingRowQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  execute({ meetingId }: FindMeetingRowQuery) {
    return this.readModels.dataSource.getRepository(MeetingEntity).findOneBy({ id: meetingId });
  }
}

/** The first open meeting held at or after `from` of each of `partnerships`' groups in `groupCodes`, keyed `<partnership>.<code>`. */
export class UpcomingMeetingsQuery extends Query<Map<string, MeetingEntity>> {
  constructor(
    readonly partnerships: readonly string[],
    readonly groupCodes: readonly string[],
    readonly from: Date,
  ) {
    super();
  }
}

@QueryHandler(UpcomingMeetingsQuery)
export class UpcomingMeetingsHandler implements IQueryHandler<UpcomingMeetingsQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModels) {}

  async execute({ partnerships, groupCodes, from }: UpcomingMeetingsQuery) {
    const upcoming = new Map<string, MeetingEntity>();
    if (partnerships.length === 0 || groupCodes.length === 0) return upcoming;
    const meetings = await this.readModels.dataSource
      .getRepository(MeetingEntity)
      .createQueryBuilder('m')
      .distinctOn(['m.partnership', 'm.groupCode'])
      .where('m.partnership IN (:...partnerships)', { partnerships })
      .andWhere('m.groupCode IN (:...groupCodes)', { groupCodes })
      .andWhere("m.status = 'open'")
      .andWhere('m.heldAt >= :from', { from })
      .orderBy('m.partnership')
      .addOrderBy('m.groupCode')
      .addOrderBy('m.heldAt')
      .addOrderBy('m.id')
      .getMany();
    for (const meeting of meetings) upcoming.set(`${meeting.partnership}.${meeting.groupCode}`, meeting);
    return upcoming;
  }
}
