import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiProblem, describeProblem, get } from '../api';
import { LoadError, Loading, Notice, Time } from '../components';
import { useAsync } from '../hooks';
import { normaliseMeeting } from '../model';
import { agencyName, areaName, useReference } from '../reference';
import { Link } from '../router';
import { label } from '../vocab';

type Named = { agency: string; agencyName: string | null };

/** The parts of `GET /v1/meetings/:id/pack` this page shows. */
interface Pack {
  meeting: { id: string; groupCode: string; groupName: string | null; heldOn: string };
  previousMeeting: { id: string; heldOn: string } | null;
  window: { from: string; to: string; since: 'previous-meeting' | 'last-28-days' };
  generatedAt: string;
  attendance: (Named & { name: string })[];
  totals: { openProblems: number; actionsDue: number; actionsOverdue: number; discharged: number; problemsClosed: number };
  hotspots: { areaCode: string; areaName: string | null; score: number; problems: { id: string; title: string; category: string; priority: string | null; rag: string | null; openActions: number; overdueActions: number }[] }[];
  actionsDue: (Named & { due: number; overdue: number; actions: { id: string; tactic: { category: string; name: string }; dueBy: string; overdue: boolean }[] })[];
  discharged: { total: number; byAgency: (Named & { discharged: number; onTime: number })[] };
  inProcess: { total: number; byAgency: (Named & { inProcess: number })[] };
  problemsClosed: { total: number; problems: { id: string; title: string; category: string; outcome: string; closedAt: string }[] };
}

type PackState = { kind: 'loading' } | { kind: 'pending' } | { kind: 'ready'; pack: Pack } | { kind: 'failed'; error: unknown };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long to wait, as the server's `Retry-After` says (within 1 to 10 seconds). */
const retryAfter = (headers: Headers) => Math.min(Math.max(Number(headers.get('retry-after')) || 2, 1), 10) * 1000;

/** The pack, asked for again while its job runs (202 with `Retry-After`). */
function usePack(id: string) {
  const [state, setState] = useState<PackState>({ kind: 'loading' });
  const generation = useRef(0);
  const load = useCallback(async () => {
    const mine = ++generation.current;
    setState({ kind: 'loading' });
    try {
      for (;;) {
        const response = await get<Pack | { status: 'pending' }>(`/v1/meetings/${id}/pack`);
        if (mine !== generation.current) return;
        if (response.status !== 202) return setState({ kind: 'ready', pack: response.data as Pack });
        setState({ kind: 'pending' });
        await sleep(retryAfter(response.headers));
        if (mine !== generation.current) return;
      }
    } catch (error) {
      if (mine === generation.current) setState({ kind: 'failed', error });
    }
  }, [id]);
  useEffect(() => {
    void load();
    return () => {
      generation.current += 1;
    };
  }, [load]);
  return { state, retry: load };
}

function Table({ caption, headers, rows, numeric = [] }: { caption: string; headers: string[]; rows: ReactNode[][]; numeric?: number[] }) {
  if (rows.length === 0) return <p className="muted">{caption}: none.</p>;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {headers.map((h, i) => (
              <th key={h} scope="col" className={numeric.includes(i) ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, i) => (
                <td key={i} className={numeric.includes(i) ? 'num' : undefined}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const named = (a: Named) => a.agencyName ?? a.agency;

/** Discharged in the window and in process at its end, per agency, side by side. */
function perAgency(pack: Pack) {
  const rows = new Map<string, { name: string; discharged: number; onTime: number; inProcess: number }>();
  const row = (a: Named) => rows.get(a.agency) ?? rows.set(a.agency, { name: named(a), discharged: 0, onTime: 0, inProcess: 0 }).get(a.agency)!;
  for (const a of pack.discharged.byAgency) Object.assign(row(a), { discharged: a.discharged, onTime: a.onTime });
  for (const a of pack.inProcess.byAgency) row(a).inProcess = a.inProcess;
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The meeting pack, printable: attendance, the figures per agency since the previous meeting held,
 * the hotspots, actions due, and what was agreed at the meeting (from the meeting's record, read
 * now, as the meeting page shows it). "Print or save as PDF" uses the browser's print.
 */
export function MeetingPackPage({ id }: { id: string }) {
  const reference = useReference();
  const { state, retry } = usePack(id);
  const meeting = useAsync(async () => normaliseMeeting((await get<Record<string, unknown>>(`/v1/meetings/${id}`)).data), [id]);

  const head = (
    <p className="breadcrumb no-print">
      <Link to={`/meetings/${id}`}>Back to the meeting</Link>
    </p>
  );
  if (state.kind === 'loading') return <>{head}<h1 tabIndex={-1}>Meeting pack</h1><Loading what="the meeting pack" /></>;
  if (state.kind === 'pending') return <>{head}<h1 tabIndex={-1}>Meeting pack</h1><Notice>The pack is being prepared. This page will show it when it is ready.</Notice></>;
  if (state.kind === 'failed') {
    const failed = state.error instanceof ApiProblem && state.error.code === 'PACK_FAILED';
    return (
      <>
        {head}
        <h1 tabIndex={-1}>Meeting pack</h1>
        {failed ? (
          <div className="notice notice--warning" role="alert">
            <p>The pack could not be prepared. Wait a minute and try again: trying again starts it afresh. {describeProblem(state.error)}</p>
            <button type="button" className="button" onClick={() => void retry()}>
              Try again
            </button>
          </div>
        ) : (
          <LoadError error={state.error} what="the meeting pack" retry={() => void retry()} />
        )}
      </>
    );
  }

  const { pack } = state;
  const since = pack.window.since === 'previous-meeting' ? 'since the previous meeting, held' : 'in the last 28 days, since';
  return (
    <article className="meeting-pack">
      {head}
      <h1 tabIndex={-1}>
        Meeting pack: {pack.meeting.groupName ?? pack.meeting.groupCode}, <Time value={pack.meeting.heldOn} />
      </h1>
      <p className="lead">
        Figures {since} <Time value={pack.window.from} />. Prepared <Time value={pack.generatedAt} withTime />.
      </p>
      <p className="no-print">
        <button type="button" className="button" onClick={() => window.print()}>
          Print or save as PDF
        </button>
      </p>
      <ul>
        <li>Open problems: {pack.totals.openProblems}</li>
        <li>Actions due: {pack.totals.actionsDue} ({pack.totals.actionsOverdue} overdue)</li>
        <li>Discharged: {pack.discharged.total}</li>
        <li>In process: {pack.inProcess.total}</li>
        <li>Problems closed: {pack.totals.problemsClosed}</li>
      </ul>

      <h2>Attendance</h2>
      <Table caption="Attendance" headers={['Name', 'Agency']} rows={pack.attendance.map((a) => [a.name, named(a)])} />

      <h2>Actions per agency</h2>
      <Table
        caption="Discharged and in process per agency"
        headers={['Agency', 'Discharged', 'On time', 'In process']}
        numeric={[1, 2, 3]}
        rows={perAgency(pack).map((a) => [a.name, a.discharged, a.onTime, a.inProcess])}
      />

      <h2>Open problems by hotspot</h2>
      {pack.hotspots.length === 0 && <p className="muted">None.</p>}
      {pack.hotspots.map((h) => (
        <Table
          key={h.areaCode}
          caption={`${h.areaName ?? areaName(reference, h.areaCode)} (score ${h.score})`}
          headers={['Problem', 'Category', 'Priority', 'RAG', 'Open actions', 'Overdue']}
          numeric={[4, 5]}
          rows={h.problems.map((p) => [<Link key={p.id} to={`/problems/${p.id}`}>{p.title}</Link>, label(p.category), p.priority ? label(p.priority) : '', p.rag ? label(p.rag) : '', p.openActions, p.overdueActions])}
        />
      ))}

      <h2>Actions due or overdue</h2>
      {pack.actionsDue.length === 0 && <p className="muted">None.</p>}
      {pack.actionsDue.map((a) => (
        <Table
          key={a.agency}
          caption={`${named(a)}: ${a.due} due, ${a.overdue} overdue`}
          headers={['Tactic', 'Due by', 'Overdue']}
          rows={a.actions.map((x) => [`${label(x.tactic.category)}: ${x.tactic.name}`, <Time key={x.id} value={x.dueBy} />, x.overdue ? 'yes' : 'no'])}
        />
      ))}

      <h2>What was agreed at this meeting</h2>
      {meeting.error ? (
        <LoadError error={meeting.error} what="the actions agreed" retry={() => void meeting.reload()} />
      ) : !meeting.data ? (
        <Loading what="the actions agreed" />
      ) : (
        <Table
          caption="Actions agreed at this meeting"
          headers={['Agency', 'What was agreed', 'Due by', 'Status']}
          rows={meeting.data.actionsByAgency.flatMap((g) => g.actions.map((a) => [agencyName(reference, g.agency), a.description, <Time key={a.id} value={a.dueBy} />, label(a.status)]))}
        />
      )}

      <h2>Problems closed</h2>
      <Table
        caption="Problems closed"
        headers={['Problem', 'Category', 'Outcome', 'Closed']}
        rows={pack.problemsClosed.problems.map((p) => [p.title, label(p.category), label(p.outcome), <Time key={p.id} value={p.closedAt} />])}
      />
    </article>
  );
}
