/**
 * DEVELOPMENT STAND-IN, NOT THE API: answers the console's GET query routes by folding the real
 * event log in memory, for running the browser suite while the API's query routes are unfinished
 * (`BROWSER_QUERY_STAND_IN=1`). Commands always go to the real API. The default run never uses
 * this, so the suite proves the real routes. Shapes follow api.md; rules are simplified.
 */
import { PROBLEM_CATEGORIES, SUCCESS_OUTCOMES, TACTIC_TAXONOMY } from '@tasking/domain';
import type { EventStore, RecordedEvent } from '@tasking/event-store';

type Row = Record<string, any>;

interface Fold {
  agencies: Map<string, Row>;
  areas: Map<string, Row>;
  groups: Map<string, Row>;
  problems: Map<string, Row>;
  actions: Map<string, Row>;
  meetings: Map<string, Row>;
  events: RecordedEvent[];
}

async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after = '';
  for (;;) {
    const batch = await store.readAll(after as never, 1000);
    if (batch.length === 0) return events;
    events.push(...batch);
    after = batch[batch.length - 1]!.position as string;
  }
}

function fold(events: RecordedEvent[], asAt?: number): Fold {
  const f: Fold = { agencies: new Map(), areas: new Map(), groups: new Map(), problems: new Map(), actions: new Map(), meetings: new Map(), events };
  for (const e of events) {
    if (asAt !== undefined && Date.parse(e.recordedAt) > asAt) continue;
    const d = e.data as Row;
    const id = e.stream.slice(e.stream.indexOf('-') + 1);
    const problem = f.problems.get(id);
    const action = f.actions.get(id);
    const meeting = f.meetings.get(id);
    const touch = (row: Row | undefined) => row && Object.assign(row, { revision: e.revision, position: e.position });
    switch (e.type) {
      case 'AgencyRegistered': f.agencies.set(d.code, { code: d.code, name: d.name, kind: d.kind, active: true }); break;
      case 'AgencyDeactivated': Object.assign(f.agencies.get(id) ?? {}, { active: false }); break;
      case 'AreaRegistered': f.areas.set(d.code, { code: d.code, name: d.name, partnership: d.partnership, centroid: d.centroid, boundary: d.boundary ?? null }); break;
      case 'AreaUpdated': Object.assign(f.areas.get(id) ?? {}, Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined))); break;
      case 'TaskingGroupRegistered': f.groups.set(d.code, { code: d.code, name: d.name, partnership: d.partnership, areaCodes: d.areaCodes }); break;
      case 'ProblemRaised':
        f.problems.set(d.problemId, { id: d.problemId, reference: d.reference ?? null, partnership: d.partnership, title: d.title, description: d.description, category: d.category, location: d.location, priority: d.priority ?? null, harmScore: null, source: d.source, groupCode: d.groupCode ?? null, status: 'open', raisedAt: d.raisedAt, rag: null, analysis: null, reviews: [], closure: null, actionIds: [] });
        touch(f.problems.get(d.problemId));
        break;
      case 'ProblemAmended': Object.assign(problem ?? {}, Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined))); touch(problem); break;
      case 'ProblemPrioritised': Object.assign(problem ?? {}, { priority: d.priority, harmScore: d.harmScore ?? null }); touch(problem); break;
      case 'ProblemAnalysed': Object.assign(problem ?? {}, { analysis: { victim: d.victim ?? null, offender: d.offender ?? null, location: d.location ?? null, hypotheses: d.hypotheses ?? [] } }); touch(problem); break;
      case 'ProblemReviewed': problem?.reviews.push({ rag: d.rag, note: d.note, meetingId: d.meetingId ?? null, recordedAt: e.recordedAt }); if (problem) problem.rag = d.rag; touch(problem); break;
      case 'ProblemTabled': f.meetings.get(d.meetingId)?.tabled.push(id); touch(problem); break;
      case 'ActionAgreed': problem?.actionIds.push(d.actionId); touch(problem); break;
      case 'ProblemClosed': Object.assign(problem ?? {}, { status: 'closed', closure: { outcome: d.outcome, displacement: d.displacement ?? null, diffusionOfBenefits: d.diffusionOfBenefits ?? null, assessment: d.assessment, closedAt: d.closedAt } }); touch(problem); break;
      case 'ProblemReopened': if (problem) problem.status = 'open'; touch(problem); break;
      case 'ActionAssigned':
        f.actions.set(d.actionId, { id: d.actionId, reference: d.reference ?? null, problemId: d.problemId, partnership: d.partnership, agency: d.agency, description: d.description, tactic: d.tactic, dueBy: d.dueBy, status: 'unclaimed', claimedBy: null, decline: null, result: null, note: null, dischargedAt: null, cancelReason: null, meetingId: d.meetingId ?? null, assignedAt: d.assignedAt, interventions: [] });
        touch(f.actions.get(d.actionId));
        if (d.meetingId) f.meetings.get(d.meetingId)?.actionIds.push(d.actionId);
        break;
      case 'ActionClaimed': Object.assign(action ?? {}, { status: 'claimed', claimedBy: d.by }); touch(action); break;
      case 'ActionDeclined': Object.assign(action ?? {}, { status: 'declined', decline: { reasonCode: d.reasonCode, note: d.note } }); touch(action); break;
      case 'ActionReleased': Object.assign(action ?? {}, { status: 'unclaimed', claimedBy: null }); touch(action); break;
      case 'ActionReassigned': Object.assign(action ?? {}, { agency: d.toAgency, status: 'unclaimed', claimedBy: null, decline: null }); touch(action); break;
      case 'InterventionRecorded': action?.interventions.push({ id: d.interventionId, actionId: id, tactic: d.tactic, description: d.description, occurredAt: d.occurredAt }); touch(action); break;
      case 'ActionDueDateChanged': Object.assign(action ?? {}, { dueBy: d.dueBy }); touch(action); break;
      case 'ActionDischarged': Object.assign(action ?? {}, { status: 'discharged', result: d.result, note: d.note, dischargedAt: d.dischargedAt }); touch(action); break;
      case 'ActionCancelled': Object.assign(action ?? {}, { status: 'cancelled', cancelReason: d.reason }); touch(action); break;
      case 'MeetingScheduled': f.meetings.set(d.meetingId, { id: d.meetingId, partnership: d.partnership, groupCode: d.groupCode, heldOn: d.heldOn, chair: d.chair, status: 'open', attendees: [], tabled: [], actionIds: [], minutesNote: null }); touch(f.meetings.get(d.meetingId)); break;
      case 'MeetingAttendanceRecorded':
        for (const a of d.attendees ?? []) if (meeting && !meeting.attendees.some((x: Row) => x.name === a.name && x.agency === a.agency)) meeting.attendees.push(a);
        touch(meeting);
        break;
      case 'MeetingClosed': Object.assign(meeting ?? {}, { status: 'closed', minutesNote: d.minutesNote }); touch(meeting); break;
      default: break;
    }
  }
  return f;
}

const OPEN = ['unclaimed', 'claimed', 'declined'];
const isOverdue = (a: Row, now: number) => OPEN.includes(a.status) && Date.parse(a.dueBy) <= now;
const withOverdue = (a: Row, now: number): Row => ({ ...a, overdue: isOverdue(a, now) });
const claimsOf = (authorization: string | undefined): Row => {
  try {
    return JSON.parse(Buffer.from(String(authorization).replace(/^Bearer /, '').split('.')[1]!, 'base64url').toString('utf8'));
  } catch {
    return {};
  }
};
const inWindow = (time: string | null | undefined, q: Row) => !!time && (!q.from || time >= new Date(q.from).toISOString()) && (!q.to || time < new Date(q.to).toISOString());
const median = (values: number[]) => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const DAY = 86_400_000;

export interface StandInAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Answers a GET the console sends, or undefined when the route is not one it stands in for. */
export async function answerQuery(store: EventStore, url: string, authorization: string | undefined): Promise<StandInAnswer | undefined> {
  const parsed = new URL(url, 'http://x');
  const path = parsed.pathname;
  const q = Object.fromEntries(parsed.searchParams) as Row;
  const now = Date.now();
  const json = (body: unknown, headers: Record<string, string> = {}): StandInAnswer => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) });
  const notFound = (): StandInAnswer => ({ status: 404, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: 'no such record' }) });
  const events = await allEvents(store);
  const f = fold(events, q.asAt ? Date.parse(q.asAt) : undefined);
  const caller = claimsOf(authorization);
  const actionsOf = (p: Row) => p.actionIds.map((id: string) => f.actions.get(id)).filter(Boolean).map((a: Row) => withOverdue(a, now));
  const problemOut = (p: Row) => {
    const actions = actionsOf(p);
    return { ...p, actionIds: undefined, openActions: actions.filter((a: Row) => OPEN.includes(a.status)).length, overdueActions: actions.filter((a: Row) => a.overdue).length };
  };
  let m: RegExpExecArray | null;

  if (path === '/v1/agencies') return json({ items: [...f.agencies.values()], nextCursor: null });
  if (path === '/v1/areas') return json({ items: [...f.areas.values()], nextCursor: null });
  if (path === '/v1/groups') return json({ items: [...f.groups.values()], nextCursor: null });
  if (path === '/v1/categories') return json({ items: [...PROBLEM_CATEGORIES] });
  if (path === '/v1/tactics') return json({ items: Object.entries(TACTIC_TAXONOMY).map(([category, names]) => ({ category, names })) });
  if (path === '/v1/problems') {
    const items = [...f.problems.values()]
      .filter((p) => (!q.areaCode || p.location.areaCode === q.areaCode) && (!q.category || p.category === q.category) && (!q.status || p.status === q.status) && (!q.priority || p.priority === q.priority) && (!q.groupCode || p.groupCode === q.groupCode))
      .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
      .map((p) => ({ ...problemOut(p), actions: undefined }));
    return json({ items, nextCursor: null });
  }
  if ((m = /^\/v1\/problems\/([0-9a-f-]{36})$/.exec(path))) {
    const p = f.problems.get(m[1]!);
    return p ? json({ ...problemOut(p), actions: actionsOf(p) }, { etag: `"${p.revision}"` }) : notFound();
  }
  if ((m = /^\/v1\/problems\/([0-9a-f-]{36})\/history$/.exec(path))) {
    const p = f.problems.get(m[1]!);
    if (!p) return notFound();
    const streams = new Set([`problem-${p.id}`, ...p.actionIds.map((id: string) => `action-${id}`)]);
    return json({ items: events.filter((e) => streams.has(e.stream)).map((e) => ({ position: e.position, stream: e.stream, revision: e.revision, type: e.type, recordedAt: e.recordedAt, actor: e.metadata['actor'], data: e.data })), nextCursor: null });
  }
  if (path === '/v1/actions') {
    const roles: string[] = caller.roles ?? [];
    const officerOnly = roles.includes('officer') && !roles.includes('inspector') && !roles.includes('manager');
    if (officerOnly && q.agency && q.agency !== caller.agency) return { status: 403, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ status: 403, code: 'WRONG_AGENCY', title: 'Forbidden' }) };
    const agency = officerOnly ? caller.agency : q.agency;
    const items = [...f.actions.values()]
      .map((a) => withOverdue(a, now))
      .filter((a) => (!agency || a.agency === agency) && (!q.status || a.status === q.status) && (q.overdue !== 'true' || a.overdue) && (!q.problemId || a.problemId === q.problemId))
      .sort((a, b) => a.dueBy.localeCompare(b.dueBy))
      .map((a) => ({ ...a, problemTitle: f.problems.get(a.problemId)?.title }));
    return json({ items, nextCursor: null });
  }
  if ((m = /^\/v1\/actions\/([0-9a-f-]{36})$/.exec(path))) {
    const a = f.actions.get(m[1]!);
    return a ? json(withOverdue(a, now), { etag: `"${a.revision}"` }) : notFound();
  }
  if (path === '/v1/meetings') return json({ items: [...f.meetings.values()].filter((x) => !q.groupCode || x.groupCode === q.groupCode), nextCursor: null });
  if ((m = /^\/v1\/meetings\/([0-9a-f-]{36})$/.exec(path))) {
    const x = f.meetings.get(m[1]!);
    if (!x) return notFound();
    const agreed = x.actionIds.map((id: string) => f.actions.get(id)).filter(Boolean) as Row[];
    const agencies = [...new Set(agreed.map((a) => a.agency))];
    return json(
      { ...x, actionIds: undefined, tabledProblems: x.tabled.map((id: string) => ({ problemId: id, title: f.problems.get(id)?.title })), actionsByAgency: agencies.map((agency) => ({ agency, actions: agreed.filter((a) => a.agency === agency) })) },
      { etag: `"${x.revision}"` },
    );
  }
  const hotspots = () => {
    const byArea = new Map<string, Row>();
    const area = (code: string) => byArea.get(code) ?? byArea.set(code, { areaCode: code, openProblems: 0, openActions: 0, unclaimedActions: 0, overdueActions: 0, raised: 0, closed: 0, byCategory: {}, byPriority: {}, score: 0 }).get(code)!;
    for (const p of f.problems.values()) {
      if (q.category && p.category !== q.category) continue;
      const h = area(p.location.areaCode);
      if (inWindow(p.raisedAt, q)) h.raised += 1;
      if (p.closure && inWindow(p.closure.closedAt, q)) h.closed += 1;
      if (p.status !== 'open') continue;
      h.openProblems += 1;
      h.byCategory[p.category] = (h.byCategory[p.category] ?? 0) + 1;
      h.byPriority[p.priority ?? 'unset'] = (h.byPriority[p.priority ?? 'unset'] ?? 0) + 1;
      h.score += ((({ high: 3, medium: 2 } as Row)[p.priority] as number | undefined) ?? 1) * (1 + (p.harmScore ?? 0) / 100);
      for (const a of actionsOf(p)) {
        if (!OPEN.includes(a.status)) continue;
        h.openActions += 1;
        if (a.status === 'unclaimed') h.unclaimedActions += 1;
        if (a.overdue) {
          h.overdueActions += 1;
          h.score += 0.5;
        }
      }
    }
    return [...byArea.values()].filter((h) => h.openProblems > 0 || h.raised > 0).sort((a, b) => b.score - a.score);
  };
  if (path === '/v1/hotspots') return json({ items: hotspots() });
  if (path === '/v1/hotspots.geojson') {
    const features = hotspots().map((h) => {
      const c = f.areas.get(h.areaCode)?.centroid;
      return { type: 'Feature', geometry: c ? { type: 'Point', coordinates: [c.lng, c.lat] } : null, properties: h };
    });
    return { status: 200, headers: { 'content-type': 'application/geo+json' }, body: JSON.stringify({ type: 'FeatureCollection', features }) };
  }
  if (path === '/v1/discharged-actions' || path === '/v1/discharged-actions/items') {
    const to = q.to ? Date.parse(q.to) : now;
    const all = [...f.actions.values()].filter((a) => !q.agency || a.agency === q.agency);
    const discharged = all.filter((a) => a.status === 'discharged' && inWindow(a.dischargedAt, q));
    if (path.endsWith('/items')) {
      if (q.format === 'csv') {
        const header = 'actionId,problemId,agency,tactic,result,assignedAt,dueBy,dischargedAt';
        const rows = discharged.map((a) => [a.id, a.problemId, a.agency, a.tactic.name, a.result, a.assignedAt, a.dueBy, a.dischargedAt].join(','));
        return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' }, body: [header, ...rows].join('\n') + '\n' };
      }
      return json({ items: discharged, nextCursor: null });
    }
    const inProcess = all.filter((a) => Date.parse(a.assignedAt) < to && OPEN.includes(a.status));
    const figures = (ds: Row[], ip: Row[]) => ({
      discharged: ds.length,
      inProcess: ip.length,
      overdue: ip.filter((a) => Date.parse(a.dueBy) <= to).length,
      onTimeRate: ds.length ? ds.filter((a) => a.dischargedAt <= a.dueBy).length / ds.length : null,
      medianDaysToDischarge: median(ds.map((a) => (Date.parse(a.dischargedAt) - Date.parse(a.assignedAt)) / DAY)),
    });
    const agencies = [...new Set([...discharged, ...inProcess].map((a) => a.agency))].sort();
    const byResult: Row = {};
    for (const a of discharged) byResult[a.result] = (byResult[a.result] ?? 0) + 1;
    return json({ ...figures(discharged, inProcess), byResult, byAgency: agencies.map((agency) => ({ agency, ...figures(discharged.filter((a) => a.agency === agency), inProcess.filter((a) => a.agency === agency)) })) });
  }
  if (path === '/v1/outcomes') {
    const closed = [...f.problems.values()].filter((p) => p.closure && inWindow(p.closure.closedAt, q) && (!q.category || p.category === q.category) && (!q.areaCode || p.location.areaCode === q.areaCode));
    const byOutcome: Row = {};
    const months = new Map<string, Row>();
    for (const p of closed) {
      byOutcome[p.closure.outcome] = (byOutcome[p.closure.outcome] ?? 0) + 1;
      const month = p.closure.closedAt.slice(0, 7);
      const row = months.get(month) ?? months.set(month, { month, closed: 0, byOutcome: {} }).get(month)!;
      row.closed += 1;
      row.byOutcome[p.closure.outcome] = (row.byOutcome[p.closure.outcome] ?? 0) + 1;
    }
    return json({ closed: closed.length, byOutcome, medianDaysOpen: median(closed.map((p) => (Date.parse(p.closure.closedAt) - Date.parse(p.raisedAt)) / DAY)), reopenRate: 0, recurrences: 0, byMonth: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)) });
  }
  if (path === '/v1/tactical-options') {
    const uses = new Map<string, Row>();
    for (const a of f.actions.values()) {
      const p = f.problems.get(a.problemId);
      if (!p) continue;
      const used = (a.status === 'discharged' && a.result !== 'not-achieved') || a.interventions.length > 0;
      if (!used || (q.problemCategory && p.category !== q.problemCategory) || (q.q && !a.tactic.name.toLowerCase().includes(String(q.q).toLowerCase()))) continue;
      const key = `${p.category}/${a.tactic.category}/${a.tactic.name}`;
      const row = uses.get(key) ?? uses.set(key, { problemCategory: p.category, tactic: a.tactic, problems: new Set<string>(), outcomes: {} }).get(key)!;
      row.problems.add(p.id);
    }
    const items = [...uses.values()].map((row) => {
      const closedProblems = [...row.problems].map((id) => f.problems.get(id as string)!).filter((p) => p.status === 'closed');
      for (const p of closedProblems) row.outcomes[p.closure.outcome] = (row.outcomes[p.closure.outcome] ?? 0) + 1;
      const successes = closedProblems.filter((p) => (SUCCESS_OUTCOMES as readonly string[]).includes(p.closure.outcome)).length;
      return { problemCategory: row.problemCategory, tactic: row.tactic, uses: row.problems.size, outcomes: row.outcomes, successRate: closedProblems.length ? successes / closedProblems.length : null, successLowerBound: null, medianDaysToDischarge: null };
    });
    return json({ items });
  }
  return undefined;
}
