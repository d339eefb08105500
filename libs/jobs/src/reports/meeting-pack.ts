import { SUBJECT_ROLES, type SubjectRole } from '@tasking/domain';
import type { Database, Position } from '@tasking/event-store';
import { query, quoteIdent } from '../sql';

/**
 * The tasking-meeting pack: what a group's meeting works through. Built from the read models,
 * with ids, codes, titles, categories, tactics, dates, statuses and counts, the agencies' names and
 * the meeting's attendance (staff and their agencies, as the meeting's record shows every role of
 * the partnership): no problem or action descriptions, notes, subjects or analysis. The people
 * named on a problem (its subjects) appear as a count per role, never as people.
 *
 * Action descriptions are left out although every role of the partnership may read them on the
 * problem and the meeting record: they are free text about the people a problem concerns (problem
 * text, erased at the end of retention), and the pack is a document that is printed, saved as PDF
 * and kept in `meeting_packs`, where it would outlive the erasure of the text it copied. The
 * console's pack page shows what was agreed at the meeting from the meeting's record, read live.
 *
 * Erasure leaves nothing here: subjects are only counted, and the retention sweep deletes every
 * stored pack naming an erased problem; any pack older than the read models is rebuilt when read.
 */
export interface MeetingPack {
  meeting: { id: string; partnership: string; groupCode: string; groupName: string | null; heldOn: string; status: string };
  /** The group's last meeting held (closed) before this one; a meeting scheduled but not held does not count. */
  previousMeeting: { id: string; heldOn: string } | null;
  /**
   * Discharges and closures counted in [from, to): from the previous meeting held (`since:
   * 'previous-meeting'`), or the last 28 days when there is none, to the end of this meeting's day.
   */
  window: { from: string; to: string; since: 'previous-meeting' | 'last-28-days' };
  /** Who attended, as recorded, in the order recorded. */
  attendance: { name: string; agency: string; agencyName: string | null }[];
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
    agencyName: string | null;
    due: number;
    overdue: number;
    actions: { id: string; problemId: string; tactic: { category: string; name: string }; dueBy: string; status: string; overdue: boolean }[];
  }[];
  discharged: {
    total: number;
    byResult: Record<string, number>;
    byAgency: { agency: string; agencyName: string | null; discharged: number; onTime: number }[];
    actions: { id: string; problemId: string; agency: string; tactic: { category: string; name: string }; result: string; dischargedAt: string; dueBy: string }[];
  };
  problemsClosed: {
    total: number;
    byOutcome: Record<string, number>;
    problems: { id: string; title: string; category: string; areaCode: string; outcome: string; closedAt: string }[];
  };
  /** Actions in process at the window's end (assigned before it and open then), per agency. */
  inProcess: {
    total: number;
    byAgency: { agency: string; agencyName: string | null; inProcess: number }[];
  };
}

export class MeetingNotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(meetingId: string) {
    super(`meeting ${meetingId} not found`);
    this.name = 'MeetingNotFoundError';
  }
}

const DAY = 86_400_000;
const PRIORITY_WEIGHT: Record<string, number> = { high: 3, medium: 2, low: 1 };
const OPEN = ['unclaimed', 'claimed', 'declined'];
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
      WHERE group_code = $1 AND partnership = $2 AND status = 'closed' AND (held_at, id) < ($3, $4::uuid)
      ORDER BY held_at DESC, id DESC LIMIT 1`,
    [meeting.group_code, meeting.partnership, meeting.held_at, meeting.id],
  );
  const windowTo = new Date(meeting.held_at.getTime() + DAY);
  const windowFrom = previous ? previous.held_at : new Date(windowTo.getTime() - 28 * DAY);
  const attendees = await query<{ name: string; agency: string }>(
    db,
    `SELECT name, agency FROM ${s}.meeting_attendees WHERE meeting_id = $1 ORDER BY position, ordinal`,
    [meeting.id],
  );
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
  const dueByAgency = new Map<string, Omit<MeetingPack['actionsDue'][number], 'agencyName'>>();
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
      WHERE ${problemScope} AND a.status = 'discharged' AND a.discharged_at < $4 AND a.discharged_at >= $5
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
      WHERE ${problemScope} AND p.status = 'closed' AND p.closed_at < $4 AND p.closed_at >= $5
      ORDER BY p.closed_at, p.id`,
    [...scope, windowTo, windowFrom],
  );

  // In process at the window's end: assigned before it, and open now or discharged after it.
  const inProcess = await query<{ agency: string; n: number }>(
    db,
    `SELECT a.agency, count(*)::int AS n FROM ${s}.actions a JOIN ${s}.problems p ON p.id = a.problem_id
      WHERE ${problemScope} AND a.assigned_at < $4 AND (a.status = ANY($5::text[]) OR (a.status = 'discharged' AND a.discharged_at >= $4))
      GROUP BY a.agency ORDER BY a.agency`,
    [...scope, windowTo, OPEN],
  );

  const agencyCodes = [...new Set([...attendees, ...due, ...discharged, ...inProcess].map((a) => a.agency))];
  const agencies = await query<{ code: string; name: string }>(db, `SELECT code, name FROM ${s}.agencies WHERE code = ANY($1::text[])`, [agencyCodes]);
  const agencyName = new Map(agencies.map((a) => [a.code, a.name]));
  const named = <T extends { agency: string }>(entry: T) => ({ ...entry, agencyName: agencyName.get(entry.agency) ?? null });

  const actionsDue = [...dueByAgency.values()].sort((a, b) => a.agency.localeCompare(b.agency));
  return {
    meeting: { id: meeting.id, partnership: meeting.partnership, groupCode: meeting.group_code, groupName: group?.name ?? null, heldOn: meeting.held_on, status: meeting.status },
    previousMeeting: previous ? { id: previous.id, heldOn: previous.held_on } : null,
    window: { from: windowFrom.toISOString(), to: windowTo.toISOString(), since: previous ? 'previous-meeting' : 'last-28-days' },
    attendance: attendees.map(named),
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
    actionsDue: actionsDue.map(named),
    discharged: {
      total: discharged.length,
      byResult: count(discharged, (a) => a.result),
      byAgency: [...dischargedByAgency.values()].sort((a, b) => a.agency.localeCompare(b.agency)).map(named),
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
    inProcess: { total: inProcess.reduce((n, a) => n + a.n, 0), byAgency: inProcess.map((a) => named({ agency: a.agency, inProcess: a.n })) },
  };
}

