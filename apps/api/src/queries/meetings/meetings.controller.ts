import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CurrentPrincipal, Roles, type Principal } from '@tasking/auth';
import { FindMeetingsQuery, MeetingRecordQuery } from '@tasking/projections';
import { CONFIG } from '@tasking/runtime';
import { CLOCK, type Clock, type Config } from '@tasking/shared';
import { IsIsoTime, IsPartnershipCode, IsPlaceCode, Optional, UuidParam } from '../../commands/request-validation';
import { ReadsProjections } from '../read-your-writes';
import { DEFAULT_LIMIT, PageQuery, READER_ROLES, decodeTimeIdCursor, notFound, queryInstant, toPage, visiblePartnerships } from '../query-support';
import { actionView, attendeeView, meetingSummary, problemSummary } from '../views';

export class ListMeetingsQuery extends PageQuery {
  @Optional()
  @IsPlaceCode()
  groupCode?: string;

  /** Held at or after (ISO 8601 with offset, or a date: local midnight). */
  @Optional()
  @IsIsoTime()
  from?: string;

  /** Held before. */
  @Optional()
  @IsIsoTime()
  to?: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;
}

const byPosition = (a: { position: string }, b: { position: string }) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0);

@Controller('v1/meetings')
@Roles(...READER_ROLES)
export class MeetingsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Latest first. */
  @Get()
  @ReadsProjections('meetings')
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListMeetingsQuery) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeTimeIdCursor(query.cursor);
    const partnerships = visiblePartnerships(principal, query.partnership);
    if (partnerships.length === 0) return { items: [], nextCursor: null };
    const { timeZone } = this.config;
    const filters = {
      groupCode: query.groupCode,
      from: query.from ? queryInstant(query.from, timeZone) : undefined,
      to: query.to ? queryInstant(query.to, timeZone) : undefined,
    };
    const rows = await this.queries.execute(new FindMeetingsQuery(partnerships, filters, limit, after));
    return toPage(rows, limit, (m) => [m.heldAt.toISOString(), m.id], meetingSummary);
  }

  /** The meeting record: attendance, problems tabled, and the actions agreed at it per agency. */
  @Get(':id')
  @ReadsProjections('meetings', 'problems')
  async detail(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) id: string) {
    const now = this.clock.now();
    const record = await this.queries.execute(new MeetingRecordQuery(id, principal.partnerships));
    if (!record) throw notFound('meeting', id);
    const problems = new Map(record.problems.map((p) => [p.id, p]));
    const agencies = [...new Set(record.actions.map((a) => a.agency))];
    return {
      ...meetingSummary(record.meeting),
      attendees: record.attendees.sort((a, b) => byPosition(a, b) || a.ordinal - b.ordinal).map(attendeeView),
      problems: record.tabled
        .sort(byPosition)
        .flatMap((t) => {
          const problem = problems.get(t.problemId);
          return problem && principal.partnerships.includes(problem.partnership) ? [problemSummary(problem)] : [];
        }),
      actionsByAgency: agencies.map((agency) => ({
        agency,
        actions: record.actions.filter((a) => a.agency === agency && principal.partnerships.includes(a.partnership)).map((a) => actionView(a, now)),
      })),
    };
  }
}
