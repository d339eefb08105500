import { SUBJECT_ROLES, type SubjectRole } from '@tasking/domain';
import type { Database, Position } from '@tasking/event-store';
import { query, quoteIdent } from '../sql';

/**
 * The tasking-meeting pack: what a group's meeting works through. Built from the read models,
 * with ids, codes, titles, categories, tactics, dates, statuses and counts only: no descriptions,
 * notes, names of people, attendees or analysis. The people named on a problem (its subjects)
 * appear as a count per role, never as people.
 */
export interface MeetingPack {
  meeting: { id: string; partnership: string; groupCode: string; groupName: string | null; heldOn: string; status: string };
  previousMeeting: { id: string; heldOn: string } | null;
  /** Discharges and closures counted in [from, to): from the previous meeting to the end of this meeting's day. */
  window: { from: string | null; to: string };
  generatedAt: string;
  /** The read models' position the pack was built at. */
  position: Position;
  totals: { openProblems: number; actionsDue: number; actionsOverdue: number; discharged: number; problemsClosed: number };
  hotspots: {
    areaCode: string;
    areaName: string | null;
    openProblems: number;
    score: number;
    rag: { red: number; amber: number; green: number; none: number };
    problems: {
      id: string;
      title: string;
      category: string;
      priority: string | null;
      rag: string | null;
      openActions: number;
      overdueActions: number;
      /** People named on the problem (not erased), counted per role: no personal data. */
      subjects: Record<SubjectRole, number>;
    }[];
  }[];
  actionsDue: {
    agency: string;
    due: number;
    overdue: number;
    actions: { id: string; problemId: string; tactic: { category: string; name: string }; dueBy: string; status: string; overdue: boolean }[];
  }[];
  discharged: {
    total: number;
    byResult: Record<string, number>;
    byAgency: { agency: string; discharged: number; onTime: number }[];
    actions: { id: string; problemId: string; agency: string; tactic: { category: string; name: string }; result: string; dischargedAt: string; dueBy: string }[];
  };
  problemsClosed: {
    total: number;
    byOutcome: Record<string, number>;
    problems: { id: string; title: string; category: string; areaCode: string; outcome: string; closedAt: string }[];
  };
}

export class MeetingNotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(meetingId: string) {
    super(`meeting ${meetingId} not found`);
    this.name = 'MeetingNotFoundError';
  }
}

const PRIORITY_WEIGHT: Record<string, number> = { high: 3, medium: 2, low: 1 };
const OPEN = ['unclaimed', 'claimed', 'declined'];
const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());
const count = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> =>
  items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }), {});

export async function buildMeetingPack(db: Database, meetingId: string, now: Date, position: Position): Promise<MeetingPack> {
  const s = quoteIdent(db.schema);
  const [meeting] = await query<{ id: string; partnership: string; group_code: string; held_on: string; held_at: Date; status: string }>(
    db,
    `SELECT id, partnership, group_code, held_on, held_at, status FROM ${s}.meetings WHERE id = $1`,
    [meetingId],
  );
  if (!meeting) throw new MeetingNotFoundError(meetingId);
  const [group] = await query<{ name: string; area_codes: string[] }>(db, `SELECT name, area_codes FROM ${s}.tasking_groups WHERE code = $1 AND partnership = $2`, [
    meeting.group_code,
    meeting.partnership,
  ]);
  const [previous] = await query<{ id: string; held_on: string; held_at: Date }>(
    db,
    `SELECT id, held_on, held_at FROM ${s}.meetings
      WHERE group_code = $1 AND partnership = $2 AND (held_at, id) < ($3, $4::uuid)
      ORDER BY held_at DESC, id DESC LIMIT 1`,
    [meeting.group_code, meeting.partnership, meeting.held_at, meeting.id],
  );
  const windowTo = new Date(meeting.held_at.getTime() + 86_400_000);
  const windowFrom = previous ? previous.held_at : null;
  const areaCodes = group?.area_codes ?? [];

  // The group's problems: tagged with the group, or raised in one of its areas, in its partnership.
  const problemScope = `p.partnership = $1 AND (p.group_code = $2 OR p.area_code = ANY($3::text[]))`;
  const scope = [meeting.partnership, meeting.group_code, areaCodes];

  const open = await query<{
    id: string; title: string; category: string; area_code: string; priority: string | null; harm_score: number | null; last_rag: string | null; open_actions: string; overdue_actions: string;
  }>(
    db,
    `SELECT p.id, p.title, p.category, p.area_code, p.priority, p.harm_score, p.last_rag,
            count(a.id) FILTER (WHERE a.status = ANY($4::text[]))::text AS open_actions,
            count(a.id) FILTER (WHERE a.status = ANY($4::text[]) AND a.due_by <= $5)::text AS overdue_actions
       FROM ${s}.problems p LEFT JOIN ${s}.actions a ON a.problem_id = p.id
      WHERE ${problemScope} AND p.status = 'open'
      GROUP BY p.id ORDER BY p.area_code, p.raised_at, p.id`,
    [...scope, OPEN, now],
  );
  const subjectCounts = await query<{ problem_id: string; role: string; n: number }>(
    db,
    `SELECT problem_id, role, count(*)::int AS n FROM ${s}.problem_subjects WHERE problem_id = ANY($1::uuid[]) AND NOT erased GROUP BY problem_id, role`,
    [open.map((p) => p.id)],
  );
  const subjectsOf = (problemId: string): Record<SubjectRole, number> => {
    const counts = Object.fromEntries(SUBJECT_ROLES.map((role) => [role, 0])) as Record<SubjectRole, number>;
    for (const row of subjectCounts) if (row.problem_id === problemId && row.role in counts) counts[row.role as SubjectRole] = row.n;
    return counts;
  };
  const areas = await query<{ code: string; name: string }>(db, `SELECT code, name FROM ${s}.areas WHERE code = ANY($1::text[])`, [
    [...new Set(open.map((p) => p.area_code))],
  ]);
  const areaName = new Map(areas.map((a) => [a.code, a.name]));
  const byArea = new Map<string, MeetingPack['hotspots'][number]>();
  for (const p of open) {
    const hotspot =
      byArea.get(p.area_code) ??
      { areaCode: p.area_code, areaName: areaName.get(p.area_code) ?? null, openProblems: 0, score: 0, rag: { red: 0, amber: 0, green: 0, none: 0 }, problems: [] };
    byArea.set(p.area_code, hotspot);
    const overdue = Number(p.overdue_actions);
    hotspot.openProblems += 1;
    hotspot.score += (PRIORITY_WEIGHT[p.priority ?? ''] ?? 1) * (1 + (p.harm_score ?? 0) / 100) + 0.5 * overdue;
    const rag = (p.last_rag ?? 'none') as keyof MeetingPack['hotspots'][number]['rag'];
    hotspot.rag[rag in hotspot.rag ? rag : 'none'] += 1;
    hotspot.problems.push({
      id: p.id,
      title: p.title,
      category: p.category,
      priority: p.priority,
      rag: p.last_rag,
      openActions: Number(p.open_actions),
      overdueActions: overdue,
      subjects: subjectsOf(p.id),
    });
  }
  const hotspots = [...byArea.values()]
    .map((h) => ({ ...h, score: Math.round(h.score * 100) / 100 }))
    .sort((a, b) => b.score - a.score || a.areaCode.localeCompare(b.areaCode));

  const due = await query<{ id: string; problem_id: string; agency: string; tactic_category: string; tactic_name: string; due_by: Date; status: string }>(
    db,
    `SELECT a.id, a.problem_id, a.agency, a.tactic_category, a.tactic_name, a.due_by, a.status
       FROM ${s}.actions a JOIN ${s}.problems p ON p.id = a.problem_id
      WHERE ${problemScope} AND a.status = ANY($4::text[]) AND (a.due_by < $5 OR a.due_by <= $6)
      ORDER BY a.agency, a.due_by, a.id`,
    [...scope, OPEN, windowTo, now],
  );
  const dueByAgency = new Map<string, MeetingPack['actionsDue'][number]>();
  for (const a of due) {
    const entry = dueByAgency.get(a.agency) ?? { agency: a.agency, due: 0, overdue: 0, actions: [] };
    dueByAgency.set(a.agency, entry);
    const overdue = a.due_by.getTime() <= now.getTime();
    entry.due += 1;
    if (overdue) entry.overdue += 1;
    entry.actions.push({ id: a.id, problemId: a.problem_id, tactic: { category: a.tactic_category, name: a.tactic_name }, dueBy: a.due_by.toISOString(), status: a.status, overdue });
  }

  const discharged = await query<{ id: string; problem_id: string; agency: string; tactic_category: string; tactic_name: string; result: string; discharged_at: Date; due_by: Date }>(
    db,
    `SELECT a.id, a.problem_id, a.agency, a.tactic_category, a.tactic_name, a.result, a.discharged_at, a.due_by
       FROM ${s}.actions a JOIN ${s}.problems p ON p.id = a.problem_id
      WHERE ${problemScope} AND a.status = 'discharged' AND a.discharged_at < $4 AND ($5::timestamptz IS NULL OR a.discharged_at >= $5)
      ORDER BY a.discharged_at, a.id`,
    [...scope, windowTo, windowFrom],
  );
  const dischargedByAgency = new Map<string, { agency: string; discharged: number; onTime: number }>();
  for (const a of discharged) {
    const entry = dischargedByAgency.get(a.agency) ?? { agency: a.agency, discharged: 0, onTime: 0 };
    dischargedByAgency.set(a.agency, entry);
    entry.discharged += 1;
    if (a.discharged_at.getTime() <= a.due_by.getTime()) entry.onTime += 1;
  }

  const closed = await query<{ id: string; title: string; category: string; area_code: string; outcome: string; closed_at: Date }>(
    db,
    `SELECT p.id, p.title, p.category, p.area_code, p.outcome, p.closed_at FROM ${s}.problems p
      WHERE ${problemScope} AND p.status = 'closed' AND p.closed_at < $4 AND ($5::timestamptz IS NULL OR p.closed_at >= $5)
      ORDER BY p.closed_at, p.id`,
    [...scope, windowTo, windowFrom],
  );

  const actionsDue = [...dueByAgency.values()].sort((a, b) => a.agency.localeCompare(b.agency));
  return {
    meeting: { id: meeting.id, partnership: meeting.partnership, groupCode: meeting.group_code, groupName: group?.name ?? null, heldOn: meeting.held_on, status: meeting.status },
    previousMeeting: previous ? { id: previous.id, heldOn: previous.held_on } : null,
    window: { from: iso(windowFrom), to: windowTo.toISOString() },
    generatedAt: now.toISOString(),
    position,
    totals: {
      openProblems: open.length,
      actionsDue: due.length,
      actionsOverdue: actionsDue.reduce((n, a) => n + a.overdue, 0),
      discharged: discharged.length,
      problemsClosed: closed.length,
    },
    hotspots,
    actionsDue,
    discharged: {
      total: discharged.length,
      byResult: count(discharged, (a) => a.result),
      byAgency: [...dischargedByAgency.values()].sort((a, b) => a.agency.localeCompare(b.agency)),
      actions: discharged.map((a) => ({
        id: a.id,
        problemId: a.problem_id,
        agency: a.agency,
        tactic: { category: a.tactic_category, name: a.tactic_name },
        result: a.result,
        dischargedAt: a.discharged_at.toISOString(),
        dueBy: a.due_by.toISOString(),
      })),
    },
    problemsClosed: {
      total: closed.length,
      byOutcome: count(closed, (p) => p.outcome),
      problems: closed.map((p) => ({ id: p.id, title: p.title, category: p.category, areaCode: p.area_code, outcome: p.outcome, closedAt: p.closed_at.toISOString() })),
    },
  };
}

const escape = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function table(headers: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const head = headers.map((h) => `<th scope="col">${escape(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const day = (value: string | null) => (value ? value.slice(0, 10) : 'the start');

/** "victim 1, witness 2": counts per role only. */
const namedCounts = (subjects: Record<string, number> | undefined): string =>
  Object.entries(subjects ?? {})
    .filter(([, n]) => n > 0)
    .map(([role, n]) => `${role} ${n}`)
    .join(', ') || 'none';

/** A printable page of the pack (every value escaped; no script). */
export function renderMeetingPackHtml(pack: MeetingPack): string {
  const { meeting } = pack;
  const title = `Tasking meeting pack: ${meeting.groupName ?? meeting.groupCode}, ${meeting.heldOn.slice(0, 10)}`;
  const sections = [
    `<h1>${escape(title)}</h1>`,
    `<p>Partnership ${escape(meeting.partnership)}; previous meeting ${escape(pack.previousMeeting ? pack.previousMeeting.heldOn.slice(0, 10) : 'none')}; generated ${escape(pack.generatedAt)}.</p>`,
    `<ul class="totals"><li>Open problems: ${pack.totals.openProblems}</li><li>Actions due: ${pack.totals.actionsDue} (overdue ${pack.totals.actionsOverdue})</li><li>Discharged since ${escape(day(pack.window.from))}: ${pack.totals.discharged}</li><li>Problems closed since ${escape(day(pack.window.from))}: ${pack.totals.problemsClosed}</li></ul>`,
    '<h2>Open problems by hotspot</h2>',
    ...pack.hotspots.map(
      (h) =>
        `<h3>${escape(h.areaName ?? h.areaCode)} (score ${h.score}; red ${h.rag.red}, amber ${h.rag.amber}, green ${h.rag.green}, not reviewed ${h.rag.none})</h3>` +
        table(
          ['Problem', 'Category', 'Priority', 'RAG', 'Open actions', 'Overdue', 'People named'],
          h.problems.map((p) => [p.title, p.category, p.priority ?? '', p.rag ?? '', p.openActions, p.overdueActions, namedCounts(p.subjects)]),
        ),
    ),
    pack.hotspots.length === 0 ? '<p class="none">None.</p>' : '',
    '<h2>Actions due or overdue, per agency</h2>',
    ...pack.actionsDue.map(
      (a) =>
        `<h3>${escape(a.agency)} (${a.due} due, ${a.overdue} overdue)</h3>` +
        table(['Action', 'Tactic', 'Due by', 'Status', 'Overdue'], a.actions.map((x) => [x.id, `${x.tactic.category}: ${x.tactic.name}`, x.dueBy, x.status, x.overdue ? 'yes' : 'no'])),
    ),
    pack.actionsDue.length === 0 ? '<p class="none">None.</p>' : '',
    `<h2>Actions discharged since ${escape(day(pack.window.from))}</h2>`,
    table(['Agency', 'Discharged', 'On time'], pack.discharged.byAgency.map((a) => [a.agency, a.discharged, a.onTime])),
    table(['Action', 'Agency', 'Tactic', 'Result', 'Discharged'], pack.discharged.actions.map((a) => [a.id, a.agency, `${a.tactic.category}: ${a.tactic.name}`, a.result, a.dischargedAt])),
    `<h2>Problems closed since ${escape(day(pack.window.from))}</h2>`,
    table(['Problem', 'Category', 'Area', 'Outcome', 'Closed'], pack.problemsClosed.problems.map((p) => [p.title, p.category, p.areaCode, p.outcome, p.closedAt])),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left}th{background:#eee}.none{color:#555}</style>
</head><body>
${sections.filter((s) => s !== '').join('\n')}
</body></html>
`;
}

export interface StoredPack {
  meetingId: string;
  partnership: string;
  position: Position;
  generatedAt: string;
  pack: MeetingPack;
  html: string;
}

export async function storeMeetingPack(db: Database, pack: MeetingPack): Promise<StoredPack> {
  const html = renderMeetingPackHtml(pack);
  await query(
    db,
    `INSERT INTO ${quoteIdent(db.schema)}.meeting_packs (meeting_id, partnership, position, generated_at, pack, html)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (meeting_id) DO UPDATE SET partnership = EXCLUDED.partnership, position = EXCLUDED.position,
       generated_at = EXCLUDED.generated_at, pack = EXCLUDED.pack, html = EXCLUDED.html
     WHERE meeting_packs.position <= EXCLUDED.position`,
    [pack.meeting.id, pack.meeting.partnership, pack.position, pack.generatedAt, JSON.stringify(pack), html],
  );
  return { meetingId: pack.meeting.id, partnership: pack.meeting.partnership, position: pack.position, generatedAt: pack.generatedAt, pack, html };
}

export async function loadMeetingPack(db: Database, meetingId: string): Promise<StoredPack | undefined> {
  const [row] = await query<{ meeting_id: string; partnership: string; position: string; generated_at: Date; pack: MeetingPack; html: string }>(
    db,
    `SELECT meeting_id, partnership, position, generated_at, pack, html FROM ${quoteIdent(db.schema)}.meeting_packs WHERE meeting_id = $1`,
    [meetingId],
  );
  return row && { meetingId: row.meeting_id, partnership: row.partnership, position: row.position, generatedAt: row.generated_at.toISOString(), pack: row.pack, html: row.html };
}
