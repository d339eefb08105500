import { useRef, useState } from 'react';
import { command, describeProblem, get, withQuery, type CommandResult, type Page } from '../api';
import { ActionCard, FormButtons } from '../action-card';
import { useSession } from '../session-context';
import { Badge, ErrorSummary, FormErrors, LoadError, Loaded, Loading, Notice, RagBadge, TextArea, Time } from '../components';
import { useAsync, useInterval } from '../hooks';
import { itemsOf, normaliseAction, normaliseHotspot, normaliseMeeting, normaliseProblem } from '../model';
import { agencyName, areaName, useReference } from '../reference';
import { Link } from '../router';
import { label } from '../vocab';
import { AssignActionForm } from './assign-action-form';
import { AttendancePanel } from './attendance-panel';

/** How often meeting mode re-reads the meeting for other people's changes (a server push comes later). */
const POLL_MS = 5000;

/**
 * Meeting mode: the agenda (the group's open problems by hotspot score, and overdue actions),
 * attendance, tabling and live assignment. After each of our own commands the meeting and agenda
 * are re-read with `X-Min-Position` so the change shows at once; others' changes arrive by polling.
 */
export function MeetingRoomPage({ id }: { id: string }) {
  const { can } = useSession();
  const reference = useReference();
  const [notice, setNotice] = useState<string>();
  const [lastPoll, setLastPoll] = useState<Date>();
  const [live, setLive] = useState(true);

  const meeting = useAsync(async (minPosition?: string) => {
    const response = await get<Record<string, unknown>>(`/v1/meetings/${id}`, { minPosition });
    setLastPoll(new Date());
    return { ...normaliseMeeting(response.data), revision: response.revision };
  }, [id]);
  const groupCode = meeting.data?.groupCode;
  // Overdue actions changed here (re-dated, cancelled) stay listed with their confirmation.
  const touched = useRef(new Set<string>());

  const agenda = useAsync(
    async (minPosition?: string) => {
      if (!groupCode) return undefined;
      const [problems, hotspots, overdue] = await Promise.all([
        get<Page<Record<string, unknown>>>(withQuery('/v1/problems', { groupCode, status: 'open', limit: 200 }), { minPosition }),
        get<Page<Record<string, unknown>>>(withQuery('/v1/hotspots', { limit: 500 }), { minPosition }).catch(() => undefined),
        get<Page<Record<string, unknown>>>(withQuery('/v1/actions', { overdue: 'true', limit: 200 }), { minPosition }).catch(() => undefined),
      ]);
      const scores = new Map(itemsOf(hotspots?.data).map(normaliseHotspot).map((h) => [h.areaCode, h.score]));
      const weight = { high: 3, medium: 2, low: 1 } as Record<string, number>;
      const items = itemsOf(problems.data)
        .map(normaliseProblem)
        .sort((a, b) => (scores.get(b.areaCode) ?? 0) - (scores.get(a.areaCode) ?? 0) || (weight[b.priority ?? ''] ?? 0) - (weight[a.priority ?? ''] ?? 0));
      const agendaIds = new Set(items.map((p) => p.id));
      const listed = itemsOf(overdue?.data)
        .map((a) => normaliseAction(a))
        .filter((a) => !a.problemId || agendaIds.has(a.problemId));
      const missing = [...touched.current].filter((actionId) => !listed.some((a) => a.id === actionId));
      const kept = await Promise.all(missing.map(async (actionId) => normaliseAction((await get<Record<string, unknown>>(`/v1/actions/${actionId}`, { minPosition })).data)));
      const overdueActions = [...listed, ...kept];
      return { problems: items, scores, overdueActions };
    },
    [groupCode],
  );

  useInterval(
    () => {
      void meeting.reload();
      void agenda.reload();
    },
    POLL_MS,
    live && !!meeting.data && meeting.data.status !== 'closed',
  );

  /** After our own change: read at least up to its position. */
  const changed = async (result: CommandResult, text?: string) => {
    if (text) setNotice(text);
    await Promise.all([meeting.reload(result.position), agenda.reload(result.position)]);
  };

  if (meeting.error && !meeting.data) return <LoadError error={meeting.error} what="the meeting" retry={() => void meeting.reload()} />;
  if (!meeting.data) return <Loading what="the meeting" />;
  const m = meeting.data;
  const open = m.status !== 'closed';
  const run = open && can('inspector');
  const tabled = new Set(m.tabledProblems.map((p) => p.id));
  const group = reference.groups.find((g) => g.code === m.groupCode);

  return (
    <div className="meeting-mode">
      <p className="breadcrumb">
        <Link to={`/meetings?groupCode=${encodeURIComponent(m.groupCode)}`}>Meetings</Link>
      </p>
      <div className="page-head">
        <h1 tabIndex={-1}>
          {group?.name ?? m.groupCode}: <Time value={m.heldOn} />
        </h1>
        <div className="badges">
          <Badge value={m.status} />
        </div>
      </div>
      <p>
        <Link to={`/meetings/${m.id}/pack`}>Meeting pack</Link>: figures per agency since the last meeting, printable.
      </p>
      <p className="lead">
        {m.chair ? `Chair: ${m.chair}. ` : ''}
        <span className="live">
          {open ? (
            <>
              {live ? 'Live: re-read every 5 seconds' : 'Live updates paused'}
              {lastPoll ? `, last at ${lastPoll.toLocaleTimeString('en-GB')}` : ''}.{' '}
              <button type="button" className="link-button" onClick={() => setLive(!live)} aria-pressed={!live}>
                {live ? 'Pause live updates' : 'Resume live updates'}
              </button>
            </>
          ) : (
            'This meeting is closed.'
          )}
        </span>
      </p>
      {notice && <Notice kind="success">{notice}</Notice>}
      {meeting.error ? <Notice kind="warning">Could not refresh the meeting: {describeProblem(meeting.error)}</Notice> : null}

      <div className="meeting-grid">
        <section aria-labelledby="agenda" className="panel meeting-grid__main">
          <h2 id="agenda">Agenda: open problems by hotspot score</h2>
          <Loaded state={agenda} what="the agenda" isEmpty={(data) => data.problems.length === 0} empty={<p className="empty">No open problems for this group.</p>}>
            {(data) => (
              <ol className="agenda">
                {data.problems.map((p) => (
                  <li key={p.id} className="agenda__item">
                    <div className="agenda__head">
                      <h3>
                        <Link to={`/problems/${p.id}`}>{p.title}</Link>
                      </h3>
                      <div className="badges">
                        {tabled.has(p.id) && <Badge value="tabled" />}
                        <Badge value={p.priority ? `${p.priority} priority` : 'no priority'} kind={p.priority ? `priority-${p.priority}` : 'muted'} />
                        <RagBadge rag={p.rag} />
                      </div>
                    </div>
                    <p className="muted">
                      {areaName(reference, p.areaCode)} · {label(p.category)} · hotspot score {(data.scores.get(p.areaCode) ?? 0).toFixed(1)}
                      {p.openActions !== undefined ? ` · ${p.openActions} open action${p.openActions === 1 ? '' : 's'}` : ''}
                    </p>
                    {run && (
                      <div className="agenda__buttons">
                        {!tabled.has(p.id) && <TableButton meetingId={m.id} problemId={p.id} onChanged={(r) => changed(r, `Tabled “${p.title}”.`)} />}
                        <AssignActionForm problemId={p.id} meetingId={m.id} onChanged={(r) => changed(r, `Action assigned on “${p.title}”.`)} />
                      </div>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </Loaded>

          <h2 id="overdue">Overdue actions</h2>
          {agenda.data && agenda.data.overdueActions.length === 0 ? (
            <p className="empty">No overdue actions on these problems.</p>
          ) : (
            <div className="action-list">
              {agenda.data?.overdueActions.map((a) => (
                <ActionCard
                  key={a.id}
                  action={a}
                  showProblem
                  onChanged={(r) => {
                    touched.current.add(a.id);
                    return changed(r);
                  }}
                  onStale={() => {
                    touched.current.add(a.id);
                    return agenda.reload();
                  }}
                  readOnly={!run}
                />
              ))}
            </div>
          )}
        </section>

        <aside className="meeting-grid__side" aria-label="Meeting record">
          <AttendancePanel
            attendees={m.attendees}
            members={group?.members ?? []}
            meetingId={m.id}
            editable={run}
            onChanged={(r) => changed(r, 'Attendance recorded.')}
          />
          <section aria-labelledby="agreed" className="panel">
            <h2 id="agreed">Actions agreed at this meeting</h2>
            {m.actionsByAgency.length === 0 ? (
              <p className="muted">None yet.</p>
            ) : (
              m.actionsByAgency.map((g) => (
                <div key={g.agency}>
                  <h3>{agencyName(reference, g.agency)}</h3>
                  <ul>
                    {g.actions.map((a) => (
                      <li key={a.id}>
                        {a.description || a.tactic.name || a.id}
                        {a.status ? ` (${label(a.status)})` : ''}
                      </li>
                    ))}
                  </ul>
                </div>
              ))
            )}
          </section>
          <section aria-labelledby="tabled-list" className="panel">
            <h2 id="tabled-list">Tabled problems</h2>
            {m.tabledProblems.length === 0 ? (
              <p className="muted">None yet.</p>
            ) : (
              <ul>
                {m.tabledProblems.map((p) => (
                  <li key={p.id}>
                    <Link to={`/problems/${p.id}`}>{p.title ?? agenda.data?.problems.find((x) => x.id === p.id)?.title ?? p.id}</Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {run && <CloseMeeting meetingId={m.id} revision={m.revision} onChanged={(r) => changed(r, 'Meeting closed.')} />}
          {m.minutesNote && (
            <section className="panel" aria-labelledby="minutes">
              <h2 id="minutes">Minutes</h2>
              <p>{m.minutesNote}</p>
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}

function TableButton({ meetingId, problemId, onChanged }: { meetingId: string; problemId: string; onChanged: (r: CommandResult) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(undefined);
          command(`/v1/meetings/${meetingId}/problems`, { problemId })
            .then(onChanged)
            .catch(setError)
            .finally(() => setBusy(false));
        }}
      >
        Table this problem
      </button>
      {error ? <Notice kind="warning">{describeProblem(error)}</Notice> : null}
    </>
  );
}

function CloseMeeting({ meetingId, revision, onChanged }: { meetingId: string; revision?: number; onChanged: (r: CommandResult) => Promise<void> }) {
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button type="button" className="button button--danger" onClick={() => setOpen(true)}>
        Close the meeting…
      </button>
    );
  return (
    <form
      className="panel"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        command(`/v1/meetings/${meetingId}/close`, { minutesNote: note }, { ifMatch: revision })
          .then(onChanged)
          .catch(setProblem)
          .finally(() => setBusy(false));
      }}
    >
      <h2>Close the meeting</h2>
      <ErrorSummary problem={problem} formId="close-meeting" />
      <FormErrors formId="close-meeting" problem={problem}>
        <TextArea name="minutesNote" label="Minutes note" required value={note} onChange={(e) => setNote(e.target.value)} />
      </FormErrors>
      <FormButtons busy={busy} submit="Close meeting" danger onCancel={() => setOpen(false)} />
    </form>
  );
}
