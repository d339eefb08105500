import { Get, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { CurrentPrincipal, type Principal } from '@tasking/auth';
import { PRIORITIES, PROBLEM_CATEGORIES } from '@tasking/domain';
import { audienceFromHistory, historyData, showSubjects, subjectRecord, type PersonalData } from '@tasking/personal-data';
import { FindProblemQuery, FindProblemsQuery, ProblemAsAtQuery, ProblemHistoryQuery, ProblemIncidentsQuery, recordedAt } from '@tasking/projections';
import { CONFIG, PERSONAL_DATA } from '@tasking/runtime';
import { CLOCK, type Clock, type Config } from '@tasking/shared';
import { IsIsoTime, IsPartnershipCode, IsPlaceCode, Optional, UuidParam } from '../../commands/request-validation';
import { DEFAULT_LIMIT, PageQuery, decodeCursor, decodeTimeIdCursor, encodeCursor, notFound, queryInstant, toPage, visiblePartnerships, QueryController } from '../query-support';
import { problemDetail, problemSummary } from '../views';

/** The longest search text `GET /v1/problems?q=` accepts. */
export const SEARCH_MAX_LENGTH = 200;

export class ListProblemsQuery extends PageQuery {
  @Optional()
  @IsPlaceCode()
  areaCode?: string;

  @Optional()
  @IsIn(PROBLEM_CATEGORIES)
  category?: string;

  @Optional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';

  @Optional()
  @IsIn(PRIORITIES)
  priority?: string;

  @Optional()
  @IsPlaceCode()
  groupCode?: string;

  @Optional()
  @IsPartnershipCode()
  partnership?: string;

  /**
   * Words to find in the title, description or area (web-search syntax: "a phrase", -word, or);
   * up to 200 characters of plain text with at least one letter or digit.
   */
  @Optional()
  @IsString()
  @MaxLength(SEARCH_MAX_LENGTH, { message: `q must be at most ${SEARCH_MAX_LENGTH} characters` })
  @Matches(/^(?=.*[\p{L}\p{N}])[^\p{Cc}\p{Cf}\p{Co}\p{Cs}]*$/su, { message: 'q must be plain text with a letter or a digit (no control or format characters)' })
  q?: string;
}

export class ProblemDetailQuery {
  /** As the problem stood then: an ISO 8601 date-time with offset, or a date (local midnight). */
  @Optional()
  @IsIsoTime()
  asAt?: string;
}

@QueryController('v1/problems', 'problems', 'incidents')
export class ProblemsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalData,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Newest first, filtered (and searched with `q`), within the caller's partnerships. */
  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListProblemsQuery) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeTimeIdCursor(query.cursor);
    const partnerships = visiblePartnerships(principal, query.partnership);
    if (partnerships.length === 0) return { items: [], nextCursor: null };
    const { areaCode, category, status, priority, groupCode, q } = query;
    const { rows, counts } = await this.queries.execute(
      new FindProblemsQuery(partnerships, { areaCode, category, status, priority, groupCode, q }, limit, after, this.clock.now()),
    );
    return toPage(rows, limit, (p) => [p.raisedAt.toISOString(), p.id], (p) => ({ ...problemSummary(p), ...(counts.get(p.id) ?? { openActions: 0, overdueActions: 0 }) }));
  }

  /**
   * With its actions and their interventions; `ETag` is the problem's revision. `?asAt=` folds the
   * log up to then. `subjects`: a count by role for everyone, the people themselves only for the
   * problem's own agencies and the partnership's managers (each showing recorded). `incidents`:
   * how many are linked to it now, and by ISO week of occurrence in TIME_ZONE.
   */
  @Get(':id')
  async detail(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Query() query: ProblemDetailQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { clock, config, personalData } = this;
    const asAt = query.asAt ? queryInstant(query.asAt, config.timeZone) : undefined;
    const { history, found } = asAt
      ? await this.queries.execute(new ProblemAsAtQuery(id, asAt))
      : await this.queries.execute(new FindProblemQuery(id)).then((current) => ({ history: undefined, found: current && { ...current, subjects: current.subjects.map(subjectRecord) } }));
    if (!found || !principal.partnerships.includes(found.problem.partnership)) throw notFound('problem', id);
    void reply.header('etag', `"${found.problem.revision}"`);
    const now = asAt ?? clock.now();
    // Who may see the subjects is decided on the problem as it stands now, also for an as-at view.
    // Whether an action gives its agency access depends on who assigned it (the log's metadata):
    // the log is read only when the caller's agency holds one of the actions.
    const holdsAction = found.actions.some((a) => a.agency === principal.agency);
    const audience =
      history || holdsAction
        ? audienceFromHistory(history ?? (await this.queries.execute(new ProblemHistoryQuery(id))))!
        : { partnership: found.problem.partnership, raisedByAgency: found.problem.raisedByAgency, actionAgencies: [] };
    const route = asAt ? 'GET /v1/problems/:id?asAt' : 'GET /v1/problems/:id';
    const subjects = await showSubjects({ accessLog: personalData.accessLog, clock }, principal, id, found.subjects, audience, route);
    const incidents = await this.queries.execute(new ProblemIncidentsQuery(id, config.timeZone));
    return { ...problemDetail(found.problem, found.actions, found.interventions, now), subjects, incidents };
  }

  /** The problem's and its actions' events in log order (the audit trail); subjects' fields only for the problem's audience. */
  @Get(':id/history')
  async history(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) id: string, @Query() query: PageQuery) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor, 1)?.[0];
    const events = await this.queries.execute(new ProblemHistoryQuery(id));
    const raised = events.find((event) => event.type === 'ProblemRaised');
    if (!raised || !principal.partnerships.includes(String(raised.data['partnership']))) throw notFound('problem', id);
    const rest = after === undefined ? events : events.filter((event) => event.position > after);
    const page = rest.slice(0, limit);
    const { personalData, clock } = this;
    const data = await historyData({ accessLog: personalData.accessLog, clock }, principal, id, page, audienceFromHistory(events)!, 'GET /v1/problems/:id/history');
    return {
      items: page.map((event, i) => ({
        position: event.position,
        stream: event.stream,
        revision: event.revision,
        type: event.type,
        recordedAt: recordedAt(event),
        actor: event.metadata['actor'] ?? null,
        data: data[i],
      })),
      nextCursor: rest.length > limit ? encodeCursor([page[page.length - 1]!.position]) : null,
    };
  }
}
