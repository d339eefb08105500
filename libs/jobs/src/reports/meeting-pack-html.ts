import type { MeetingPack } from './meeting-pack';

const escape = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function table(headers: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '<p class="none">None.</p>';
  const head = headers.map((h) => `<th scope="col">${escape(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const day = (value: string) => value.slice(0, 10);
const agency = (entry: { agency: string; agencyName: string | null }) => entry.agencyName ?? entry.agency;

/** "since the previous meeting, 2026-11-27" or "in the last 28 days, since 2026-11-09". */
const since = (pack: MeetingPack) =>
  pack.window.since === 'previous-meeting' ? `since the previous meeting, ${day(pack.window.from)}` : `in the last 28 days, since ${day(pack.window.from)}`;

/** "victim 1, witness 2": counts per role only. */
const namedCounts = (subjects: Record<string, number> | undefined): string =>
  Object.entries(subjects ?? {})
    .filter(([, n]) => n > 0)
    .map(([role, n]) => `${role} ${n}`)
    .join(', ') || 'none';

/** Discharged (in the window) and in process (at its end), per agency: the figures side by side. */
function perAgency(pack: MeetingPack): { agency: string; name: string; discharged: number; onTime: number; inProcess: number }[] {
  const rows = new Map<string, { agency: string; name: string; discharged: number; onTime: number; inProcess: number }>();
  const row = (entry: { agency: string; agencyName: string | null }) => {
    const found = rows.get(entry.agency) ?? { agency: entry.agency, name: agency(entry), discharged: 0, onTime: 0, inProcess: 0 };
    rows.set(entry.agency, found);
    return found;
  };
  for (const a of pack.discharged.byAgency) Object.assign(row(a), { discharged: a.discharged, onTime: a.onTime });
  for (const a of pack.inProcess.byAgency) row(a).inProcess = a.inProcess;
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A printable page of the pack (every value escaped; no script). */
export function renderMeetingPackHtml(pack: MeetingPack): string {
  const { meeting } = pack;
  const title = `Tasking meeting pack: ${meeting.groupName ?? meeting.groupCode}, ${meeting.heldOn.slice(0, 10)}`;
  const sections = [
    `<h1>${escape(title)}</h1>`,
    `<p>Partnership ${escape(meeting.partnership)}; previous meeting held ${escape(pack.previousMeeting ? day(pack.previousMeeting.heldOn) : 'none')}; figures ${escape(since(pack))}; generated ${escape(pack.generatedAt)}.</p>`,
    `<ul class="totals"><li>Open problems: ${pack.totals.openProblems}</li><li>Actions due: ${pack.totals.actionsDue} (overdue ${pack.totals.actionsOverdue})</li><li>Discharged ${escape(since(pack))}: ${pack.totals.discharged}</li><li>In process at ${escape(day(pack.window.to))}: ${pack.inProcess.total}</li><li>Problems closed ${escape(since(pack))}: ${pack.totals.problemsClosed}</li></ul>`,
    '<h2>Attendance</h2>',
    table(['Name', 'Agency'], pack.attendance.map((a) => [a.name, agency(a)])),
    `<h2>Actions per agency ${escape(since(pack))}</h2>`,
    table(['Agency', 'Discharged', 'On time', 'In process'], perAgency(pack).map((a) => [a.name, a.discharged, a.onTime, a.inProcess])),
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
        `<h3>${escape(agency(a))} (${a.due} due, ${a.overdue} overdue)</h3>` +
        table(['Action', 'Tactic', 'Due by', 'Status', 'Overdue'], a.actions.map((x) => [x.id, `${x.tactic.category}: ${x.tactic.name}`, x.dueBy, x.status, x.overdue ? 'yes' : 'no'])),
    ),
    pack.actionsDue.length === 0 ? '<p class="none">None.</p>' : '',
    `<h2>Actions discharged ${escape(since(pack))}</h2>`,
    table(['Action', 'Agency', 'Tactic', 'Result', 'Discharged'], pack.discharged.actions.map((a) => [a.id, a.agency, `${a.tactic.category}: ${a.tactic.name}`, a.result, a.dischargedAt])),
    `<h2>Problems closed ${escape(since(pack))}</h2>`,
    table(['Problem', 'Category', 'Area', 'Outcome', 'Closed'], pack.problemsClosed.problems.map((p) => [p.title, p.category, p.areaCode, p.outcome, p.closedAt])),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left}th{background:#eee}.none{color:#555}@media print{body{margin:0}h2,h3{break-after:avoid}tr{break-inside:avoid}}</style>
</head><body>
${sections.filter((s) => s !== '').join('\n')}
</body></html>
`;
}

