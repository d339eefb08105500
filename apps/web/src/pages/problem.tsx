import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiProblem, command, get, withQuery, type CommandResult, type Page } from '../api';
import { ActionCard, FormButtons, TacticFields } from '../action-card';
import { useSession } from '../app';
import { Badge, endOfDay, ErrorSummary, FormErrors, isoDay, LoadError, Loading, Notice, pastDueDate, RagBadge, SelectField, TextArea, TextField, Time, formatDateTime, localToIso } from '../components';
import { useAsync } from '../hooks';
import { normaliseProblem, type HistoryEntry, type Problem } from '../model';
import { agencyName, areaName, useReference } from '../reference';
import { Link, setSearchParams, useSearchParams } from '../router';
import { DISPLACEMENTS, label, OUTCOMES, PRIORITIES, RAGS } from '../vocab';

/** A problem: details, analysis, reviews, actions, timeline; `?asAt=` shows it as it stood then. */
export function ProblemPage({ id }: { id: string }) {
  const { can } = useSession();
  const reference = useReference();
  const params = useSearchParams();
  const asAt = params.get('asAt') ?? '';
  const [asAtInput, setAsAtInput] = useState(asAt ? asAt.slice(0, 16) : '');
  const [notice, setNotice] = useState<string>();
  const [historyKey, setHistoryKey] = useState(0);

  const state = useAsync(async (minPosition?: string) => {
    const response = await get<Record<string, unknown>>(withQuery(`/v1/problems/${id}`, { asAt: asAt || undefined }), { minPosition });
    const problem = normaliseProblem(response.data);
    // The ETag is the problem stream's revision: sent back as If-Match on problem commands.
    return { problem: { ...problem, revision: response.revision ?? problem.revision } };
  }, [id, asAt]);

  const changed = async (result: CommandResult, text?: string) => {
    setNotice(text);
    await state.reload(result.position);
    setHistoryKey((k) => k + 1);
  };
  const stale = async () => {
    await state.reload();
    setHistoryKey((k) => k + 1);
  };

  if (state.error && !state.data) return <LoadError error={state.error} what="the problem" retry={() => void state.reload()} />;
  if (!state.data) return <Loading what="the problem" />;
  const { problem } = state.data;
  const readOnly = !!asAt;
  const isOpen = problem.status === 'open';

  return (
    <>
      <p className="breadcrumb">
        <Link to="/problems">Problems</Link>
      </p>
      <div className="page-head">
        <h1 tabIndex={-1}>{problem.title}</h1>
        <div className="badges">
          <Badge value={problem.status} />
          <Badge value={problem.priority ? `${problem.priority} priority` : 'no priority'} kind={problem.priority ? `priority-${problem.priority}` : 'muted'} />
          <RagBadge rag={problem.rag} />
        </div>
      </div>

      <form
        className="as-at"
        aria-label="Show the problem as it stood at a past time"
        onSubmit={(e) => {
          e.preventDefault();
          setSearchParams({ asAt: asAtInput ? localToIso(asAtInput) : undefined });
        }}
      >
        <div className="field">
          <label htmlFor="as-at">As at</label>
          <input id="as-at" type="datetime-local" value={asAtInput} onChange={(e) => setAsAtInput(e.target.value)} />
        </div>
        <button type="submit" className="button button--secondary">
          Show as at then
        </button>
        {asAt && (
          <button
            type="button"
            className="button button--quiet"
            onClick={() => {
              setAsAtInput('');
              setSearchParams({});
            }}
          >
            Back to now
          </button>
        )}
      </form>
      {asAt && <Notice kind="warning">You are looking at this problem as it stood at {formatDateTime(asAt)}. Changes are switched off in this view.</Notice>}
      {notice && <Notice kind="success">{notice}</Notice>}
      {state.error ? <LoadError error={state.error} what="the latest version" retry={() => void state.reload()} /> : null}

      <section aria-labelledby="details" className="panel">
        <h2 id="details">Details</h2>
        <dl className="facts facts--wide">
          <div>
            <dt>Area</dt>
            <dd>{areaName(reference, problem.areaCode)}</dd>
          </div>
          <div>
            <dt>Category</dt>
            <dd>{label(problem.category)}</dd>
          </div>
          {problem.address && (
            <div>
              <dt>Place</dt>
              <dd>{problem.address}</dd>
            </div>
          )}
          {problem.lat !== undefined && problem.lng !== undefined && (
            <div>
              <dt>Coordinates</dt>
              <dd>
                {problem.lat.toFixed(5)}, {problem.lng.toFixed(5)}
              </dd>
            </div>
          )}
          <div>
            <dt>Raised</dt>
            <dd>
              <Time value={problem.raisedAt} withTime />
            </dd>
          </div>
          {problem.source && (
            <div>
              <dt>Source</dt>
              <dd>{label(problem.source)}</dd>
            </div>
          )}
          {problem.groupCode && (
            <div>
              <dt>Tasking group</dt>
              <dd>{reference.groups.find((g) => g.code === problem.groupCode)?.name ?? problem.groupCode}</dd>
            </div>
          )}
          {problem.harmScore !== undefined && (
            <div>
              <dt>Harm score</dt>
              <dd>{problem.harmScore} / 100</dd>
            </div>
          )}
        </dl>
        {problem.description && <p className="description">{problem.description}</p>}
        {!readOnly && isOpen && can('inspector') && <PrioritiseForm problem={problem} onChanged={changed} onStale={stale} />}
      </section>

      {problem.closure && problem.status === 'closed' && (
        <section aria-labelledby="closure" className="panel">
          <h2 id="closure">Outcome</h2>
          <dl className="facts facts--wide">
            <div>
              <dt>Outcome</dt>
              <dd>{label(problem.closure.outcome)}</dd>
            </div>
            {problem.closure.displacement && (
              <div>
                <dt>Displacement</dt>
                <dd>{label(problem.closure.displacement)}</dd>
              </div>
            )}
            {problem.closure.diffusionOfBenefits !== undefined && (
              <div>
                <dt>Diffusion of benefits</dt>
                <dd>{problem.closure.diffusionOfBenefits ? 'Yes' : 'No'}</dd>
              </div>
            )}
            <div>
              <dt>Closed</dt>
              <dd>
                <Time value={problem.closure.closedAt} />
              </dd>
            </div>
          </dl>
          {problem.closure.assessment && <p>{problem.closure.assessment}</p>}
        </section>
      )}

      <section aria-labelledby="analysis" className="panel">
        <h2 id="analysis">Analysis</h2>
        {problem.analysis ? (
          <dl className="facts facts--wide">
            <div>
              <dt>Victim</dt>
              <dd>{problem.analysis.victim ?? '–'}</dd>
            </div>
            <div>
              <dt>Offender</dt>
              <dd>{problem.analysis.offender ?? '–'}</dd>
            </div>
            <div>
              <dt>Location</dt>
              <dd>{problem.analysis.location ?? '–'}</dd>
            </div>
            <div>
              <dt>Hypotheses</dt>
              <dd>{problem.analysis.hypotheses.length ? <ul>{problem.analysis.hypotheses.map((h, i) => <li key={i}>{h}</li>)}</ul> : '–'}</dd>
            </div>
          </dl>
        ) : (
          <p className="muted">No analysis recorded yet.</p>
        )}
        {!readOnly && isOpen && can('inspector') && <AnalysisForm problem={problem} onChanged={changed} onStale={stale} />}
      </section>

      <section aria-labelledby="reviews" className="panel">
        <h2 id="reviews">Reviews</h2>
        {problem.reviews.length ? (
          <ul className="reviews">
            {problem.reviews.map((r, i) => (
              <li key={i}>
                <RagBadge rag={r.rag} /> {r.note} {r.at && <Time value={r.at} />}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{problem.rag ? <>Latest rating: <RagBadge rag={problem.rag} /></> : 'Not reviewed yet.'}</p>
        )}
        {!readOnly && isOpen && can('inspector') && <ReviewForm problem={problem} onChanged={changed} />}
      </section>

      <section aria-labelledby="actions" className="panel">
        <h2 id="actions">Actions</h2>
        {problem.actions.length === 0 ? (
          <p className="muted">No actions agreed yet.</p>
        ) : (
          <div className="action-list">
            {problem.actions.map((action) => (
              <ActionCard key={action.id} action={action} readOnly={readOnly} onChanged={(r) => changed(r)} onStale={stale} />
            ))}
          </div>
        )}
        {!readOnly && isOpen && can('inspector') && <AssignActionForm problemId={problem.id} onChanged={(r) => changed(r, 'Action assigned.')} />}
      </section>

      {!readOnly && (
        <section aria-labelledby="decision" className="panel">
          <h2 id="decision">{isOpen ? 'Close the problem' : 'Reopen the problem'}</h2>
          {isOpen && can('inspector', 'manager') && <CloseForm problem={problem} onChanged={(r) => changed(r, 'Problem closed.')} onStale={stale} />}
          {!isOpen && can('inspector') && <ReopenForm problem={problem} onChanged={(r) => changed(r, 'Problem reopened.')} onStale={stale} />}
          {((isOpen && !can('inspector', 'manager')) || (!isOpen && !can('inspector'))) && <p className="muted">Your role cannot {isOpen ? 'close' : 'reopen'} problems.</p>}
        </section>
      )}

      <Timeline problemId={problem.id} refreshKey={historyKey} asAt={asAt} />
    </>
  );
}

interface ProblemFormProps {
  problem: Problem;
  onChanged: (result: CommandResult, text?: string) => void | Promise<void>;
  onStale?: () => void | Promise<void>;
}

function useCommandForm(onStale?: () => void | Promise<void>) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));
  const run = async (send: () => Promise<CommandResult>, done: (r: CommandResult) => void | Promise<void>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await send();
      setValues({});
      await done(result);
    } catch (error) {
      setProblem(error);
      if (error instanceof ApiProblem && error.code === 'WRONG_EXPECTED_REVISION') await onStale?.();
    } finally {
      setBusy(false);
    }
  };
  return { values, setValues, set, problem, setProblem, busy, run };
}

function Collapsible({ label: text, children }: { label: string; children: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  return open ? <div className="inline-form">{children(() => setOpen(false))}</div> : (
    <button type="button" className="button button--secondary" aria-expanded={false} onClick={() => setOpen(true)}>
      {text}
    </button>
  );
}

function PrioritiseForm({ problem, onChanged, onStale }: ProblemFormProps) {
  const form = useCommandForm(onStale);
  const formId = 'prioritise';
  return (
    <Collapsible label="Prioritise…">
      {(close) => (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            const harm = form.values.harmScore?.trim();
            void form.run(
              () => command(`/v1/problems/${problem.id}/prioritise`, { priority: form.values.priority ?? problem.priority ?? '', ...(harm ? { harmScore: Number(harm) } : {}), rationale: form.values.rationale ?? '' }, { ifMatch: problem.revision }),
              async (r) => {
                close();
                await onChanged(r, 'Priority recorded.');
              },
            );
          }}
        >
          <ErrorSummary problem={form.problem} formId={formId} />
          <FormErrors formId={formId} problem={form.problem}>
            <div className="row">
              <SelectField name="priority" label="Priority" required options={PRIORITIES} empty="Choose" value={form.values.priority ?? problem.priority ?? ''} onChange={form.set('priority')} />
              <TextField name="harmScore" label="Harm score" inputMode="numeric" hint="0 to 100" value={form.values.harmScore ?? (problem.harmScore?.toString() ?? '')} onChange={form.set('harmScore')} />
            </div>
            <TextArea name="rationale" label="Rationale" required value={form.values.rationale ?? ''} onChange={form.set('rationale')} />
          </FormErrors>
          <FormButtons busy={form.busy} submit="Save priority" onCancel={close} />
        </form>
      )}
    </Collapsible>
  );
}

function AnalysisForm({ problem, onChanged, onStale }: ProblemFormProps) {
  const form = useCommandForm(onStale);
  const formId = 'analysis';
  const current = problem.analysis;
  return (
    <Collapsible label={current ? 'Update analysis…' : 'Record analysis…'}>
      {(close) => (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            const v = form.values;
            const hypotheses = (v.hypotheses ?? current?.hypotheses.join('\n') ?? '')
              .split('\n')
              .map((h) => h.trim())
              .filter(Boolean);
            const body = {
              ...((v.victim ?? current?.victim) ? { victim: v.victim ?? current?.victim } : {}),
              ...((v.offender ?? current?.offender) ? { offender: v.offender ?? current?.offender } : {}),
              ...((v.location ?? current?.location) ? { location: v.location ?? current?.location } : {}),
              ...(hypotheses.length ? { hypotheses } : {}),
            };
            void form.run(() => command(`/v1/problems/${problem.id}/analysis`, body, { ifMatch: problem.revision }), async (r) => {
              close();
              await onChanged(r, 'Analysis recorded.');
            });
          }}
        >
          <ErrorSummary problem={form.problem} formId={formId} />
          <FormErrors formId={formId} problem={form.problem}>
            <p className="hint">The problem analysis triangle. Describe, do not name, people: named people are recorded as subjects.</p>
            <TextArea name="victim" label="Victim" value={form.values.victim ?? current?.victim ?? ''} onChange={form.set('victim')} />
            <TextArea name="offender" label="Offender" value={form.values.offender ?? current?.offender ?? ''} onChange={form.set('offender')} />
            <TextArea name="location" label="Location" value={form.values.location ?? current?.location ?? ''} onChange={form.set('location')} />
            <TextArea name="hypotheses" label="Hypotheses" hint="One per line." value={form.values.hypotheses ?? current?.hypotheses.join('\n') ?? ''} onChange={form.set('hypotheses')} />
          </FormErrors>
          <FormButtons busy={form.busy} submit="Save analysis" onCancel={close} />
        </form>
      )}
    </Collapsible>
  );
}

function ReviewForm({ problem, onChanged }: ProblemFormProps) {
  const form = useCommandForm();
  const formId = 'review';
  return (
    <Collapsible label="Record a review…">
      {(close) => (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void form.run(() => command(`/v1/problems/${problem.id}/reviews`, { rag: form.values.rag ?? '', note: form.values.note ?? '' }), async (r) => {
              close();
              await onChanged(r, 'Review recorded.');
            });
          }}
        >
          <ErrorSummary problem={form.problem} formId={formId} />
          <FormErrors formId={formId} problem={form.problem}>
            <SelectField name="rag" label="RAG rating" required empty="Choose" options={RAGS.map((r) => ({ value: r, label: { red: 'Red: the plan will not deliver', amber: 'Amber: delivers a significant part', green: 'Green: expected to deliver' }[r]! }))} value={form.values.rag ?? ''} onChange={form.set('rag')} />
            <TextArea name="note" label="Note" required value={form.values.note ?? ''} onChange={form.set('note')} />
          </FormErrors>
          <FormButtons busy={form.busy} submit="Save review" onCancel={close} />
        </form>
      )}
    </Collapsible>
  );
}

/** Assign an action to an agency (also used live in meeting mode, with the meeting's id). */
export function AssignActionForm({ problemId, meetingId, onChanged, startOpen = false }: { problemId: string; meetingId?: string; onChanged: (result: CommandResult) => void | Promise<void>; startOpen?: boolean }) {
  const reference = useReference();
  const form = useCommandForm();
  const [open, setOpen] = useState(startOpen);
  const formId = `assign-${problemId.slice(0, 8)}`;
  if (!open) {
    return (
      <button type="button" className="button" aria-expanded={false} onClick={() => setOpen(true)}>
        Assign an action…
      </button>
    );
  }
  return (
    <form
      className="inline-form"
      aria-label="Assign an action"
      noValidate
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        const v = form.values;
        const pastDue = pastDueDate(v.dueBy);
        if (pastDue) {
          form.setProblem(pastDue);
          return;
        }
        void form.run(
          () =>
            command(`/v1/problems/${problemId}/actions`, {
              agency: v.agency ?? '',
              description: v.description ?? '',
              tactic: { category: v.tacticCategory ?? '', name: v.tacticName ?? '' },
              dueBy: v.dueBy ? endOfDay(v.dueBy) : '',
              ...(meetingId ? { meetingId } : {}),
            }),
          async (r) => {
            setOpen(false);
            await onChanged(r);
          },
        );
      }}
    >
      <h3>Assign an action</h3>
      <ErrorSummary problem={form.problem} formId={formId} title="The action was not assigned" />
      <FormErrors formId={formId} problem={form.problem}>
        <SelectField name="agency" label="Agency" required empty="Choose an agency" options={reference.agencies.filter((a) => a.active).map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))} value={form.values.agency ?? ''} onChange={form.set('agency')} />
        <TextArea name="description" label="What should be done" required value={form.values.description ?? ''} onChange={form.set('description')} />
        <TacticFields values={form.values} set={form.set} />
        <TextField name="dueBy" label="Due by" type="date" required min={isoDay(0)} value={form.values.dueBy ?? ''} onChange={form.set('dueBy')} />
      </FormErrors>
      <FormButtons busy={form.busy} submit="Assign action" onCancel={() => setOpen(false)} />
    </form>
  );
}

function CloseForm({ problem, onChanged, onStale }: ProblemFormProps) {
  const form = useCommandForm(onStale);
  const formId = 'close';
  const outstanding = problem.actions.filter((a) => ['unclaimed', 'claimed', 'declined'].includes(a.status));
  const override = form.values.override === 'yes';
  return (
    <Collapsible label="Close with an outcome…">
      {(close) => (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            const v = form.values;
            const body = {
              outcome: v.outcome ?? '',
              assessment: v.assessment ?? '',
              ...(v.displacement ? { displacement: v.displacement } : {}),
              ...(v.diffusion ? { diffusionOfBenefits: v.diffusion === 'yes' } : {}),
              ...(override ? { override: true, overrideReason: v.overrideReason ?? '' } : {}),
              ...(v.closedAt ? { closedAt: localToIso(v.closedAt) } : {}),
            };
            void form.run(() => command(`/v1/problems/${problem.id}/close`, body, { ifMatch: problem.revision }), async (r) => {
              close();
              await onChanged(r);
            });
          }}
        >
          <ErrorSummary problem={form.problem} formId={formId} title="The problem was not closed" />
          {outstanding.length > 0 && (
            <Notice kind="warning">
              {outstanding.length} action{outstanding.length === 1 ? ' is' : 's are'} still open. Close with an override (and a reason) to cancel {outstanding.length === 1 ? 'it' : 'them'}.
            </Notice>
          )}
          <FormErrors formId={formId} problem={form.problem}>
            <SelectField name="outcome" label="Outcome" required empty="Choose an outcome" hint="Eck and Spelman’s impact scale; the first four count as success." options={OUTCOMES} value={form.values.outcome ?? ''} onChange={form.set('outcome')} />
            <TextArea name="assessment" label="Assessment" required value={form.values.assessment ?? ''} onChange={form.set('assessment')} />
            <div className="row">
              <SelectField name="displacement" label="Displacement" empty="None observed" options={DISPLACEMENTS} value={form.values.displacement ?? ''} onChange={form.set('displacement')} />
              <SelectField name="diffusionOfBenefits" label="Diffusion of benefits" empty="Not assessed" options={[{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }]} value={form.values.diffusion ?? ''} onChange={form.set('diffusion')} />
            </div>
            {outstanding.length > 0 && (
              <>
                <SelectField name="override" label="Close with actions still open?" options={[{ value: 'no', label: 'No' }, { value: 'yes', label: 'Yes: cancel the open actions' }]} value={form.values.override ?? 'no'} onChange={form.set('override')} />
                {override && <TextArea name="overrideReason" label="Reason for the override" required value={form.values.overrideReason ?? ''} onChange={form.set('overrideReason')} />}
              </>
            )}
            <TextField name="closedAt" label="Closed at" type="datetime-local" hint="Leave empty for now." value={form.values.closedAt ?? ''} onChange={form.set('closedAt')} />
          </FormErrors>
          <FormButtons busy={form.busy} submit="Close problem" onCancel={close} />
        </form>
      )}
    </Collapsible>
  );
}

function ReopenForm({ problem, onChanged, onStale }: ProblemFormProps) {
  const form = useCommandForm(onStale);
  const formId = 'reopen';
  return (
    <Collapsible label="Reopen…">
      {(close) => (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void form.run(() => command(`/v1/problems/${problem.id}/reopen`, { reason: form.values.reason ?? '' }, { ifMatch: problem.revision }), async (r) => {
              close();
              await onChanged(r);
            });
          }}
        >
          <ErrorSummary problem={form.problem} formId={formId} />
          <FormErrors formId={formId} problem={form.problem}>
            <TextArea name="reason" label="Why reopen" required value={form.values.reason ?? ''} onChange={form.set('reason')} />
          </FormErrors>
          <FormButtons busy={form.busy} submit="Reopen problem" onCancel={close} />
        </form>
      )}
    </Collapsible>
  );
}

const EVENT_WORDS: Record<string, string> = {
  ProblemRaised: 'Problem raised',
  ProblemAmended: 'Problem amended',
  ProblemPrioritised: 'Prioritised',
  ProblemAnalysed: 'Analysis recorded',
  ProblemTabled: 'Tabled at a meeting',
  ProblemReviewed: 'Reviewed',
  ActionAgreed: 'Action agreed',
  ProblemClosed: 'Problem closed',
  ProblemReopened: 'Problem reopened',
  ActionAssigned: 'Action agreed',
  ActionClaimed: 'Action claimed',
  ActionDeclined: 'Action declined',
  ActionReleased: 'Claim released',
  ActionReassigned: 'Action reassigned',
  InterventionRecorded: 'Intervention recorded',
  ActionDueDateChanged: 'Due date changed',
  ActionEscalated: 'Escalated (overdue)',
  ActionDischarged: 'Action discharged',
  ActionCancelled: 'Action cancelled',
};

function summarise(entry: HistoryEntry, agencies: (code: string) => string): string {
  const d = entry.data ?? {};
  const bits: string[] = [];
  const s = (k: string) => (d[k] === undefined || d[k] === null ? undefined : String(d[k]));
  if (s('title') && entry.type === 'ProblemRaised') bits.push(`“${s('title')}”`);
  if (s('priority')) bits.push(`priority ${s('priority')}`);
  if (s('rag')) bits.push(`RAG ${s('rag')}`);
  if (s('agency')) bits.push(`to ${agencies(s('agency')!)}`);
  if (s('toAgency')) bits.push(`from ${s('fromAgency')} to ${s('toAgency')}`);
  const tactic = d['tactic'] as { category?: string; name?: string } | undefined;
  if (tactic?.name) bits.push(`tactic: ${tactic.name}`);
  if (s('reasonCode')) bits.push(label(s('reasonCode')));
  if (s('result')) bits.push(label(s('result')));
  if (s('outcome')) bits.push(`outcome: ${label(s('outcome'))}`);
  if (s('displacement')) bits.push(`displacement: ${label(s('displacement'))}`);
  if (s('dueBy')) bits.push(`due ${new Date(s('dueBy')!).toLocaleDateString('en-GB')}`);
  if (s('reason')) bits.push(s('reason')!);
  if (s('note')) bits.push(s('note')!);
  if (s('description') && entry.type !== 'ProblemRaised') bits.push(s('description')!);
  return bits.join(' · ');
}

/**
 * Agreeing an action appends two events at once (ActionAgreed on the problem, ActionAssigned on the
 * action): one line says it, the assignment's (it has the agency, tactic, due date and description).
 */
function oneLinePerAction(items: HistoryEntry[]): HistoryEntry[] {
  const assigned = new Set(items.filter((e) => e.type === 'ActionAssigned').map((e) => String(e.data?.['actionId'] ?? e.stream.replace(/^action-/, ''))));
  return items.filter((e) => !(e.type === 'ActionAgreed' && assigned.has(String(e.data?.['actionId']))));
}

function Timeline({ problemId, refreshKey, asAt }: { problemId: string; refreshKey: number; asAt: string }) {
  const reference = useReference();
  const [extra, setExtra] = useState<{ items: HistoryEntry[]; cursor?: string | null }>({ items: [] });
  const state = useAsync(async () => {
    setExtra({ items: [] });
    const response = await get<Page<HistoryEntry>>(withQuery(`/v1/problems/${problemId}/history`, { limit: 200 }));
    return response.data;
  }, [problemId, refreshKey]);
  const loadMore = async () => {
    const cursor = extra.cursor ?? state.data?.nextCursor;
    if (!cursor) return;
    const response = await get<Page<HistoryEntry>>(withQuery(`/v1/problems/${problemId}/history`, { limit: 200, cursor }));
    setExtra({ items: [...extra.items, ...response.data.items], cursor: response.data.nextCursor ?? null });
  };
  const items = oneLinePerAction([...(state.data?.items ?? []), ...extra.items]);
  const cutoff = asAt ? Date.parse(asAt) : undefined;
  const more = extra.cursor !== undefined ? extra.cursor : state.data?.nextCursor;
  return (
    <section aria-labelledby="timeline" className="panel">
      <h2 id="timeline">Timeline</h2>
      {state.error ? (
        <LoadError error={state.error} what="the timeline" retry={() => void state.reload()} />
      ) : !state.data ? (
        <Loading what="the timeline" />
      ) : items.length === 0 ? (
        <p className="muted">No events.</p>
      ) : (
        <ol className="timeline">
          {items.map((entry) => {
            const later = cutoff !== undefined && Date.parse(entry.recordedAt) > cutoff;
            const actor = entry.actor?.system ? `system (${entry.actor.system})` : [entry.actor?.name, entry.actor?.agency].filter(Boolean).join(', ');
            return (
              <li key={`${entry.position}-${entry.stream}-${entry.revision}`} className={later ? 'timeline__later' : undefined}>
                <Time value={entry.recordedAt} withTime />
                <span className="timeline__type">{EVENT_WORDS[entry.type] ?? entry.type}</span>
                {actor && <span className="timeline__actor">by {actor}</span>}
                <span className="timeline__summary">{summarise(entry, (code) => agencyName(reference, code))}</span>
                {later && <span className="visually-hidden"> (after the as-at time)</span>}
              </li>
            );
          })}
        </ol>
      )}
      {more && (
        <button type="button" className="button button--secondary" onClick={() => void loadMore()}>
          Show more events
        </button>
      )}
    </section>
  );
}
