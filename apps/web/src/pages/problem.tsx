import { useState } from 'react';
import { get, withQuery, type CommandResult } from '../api';
import { ActionCard } from '../action-card';
import { Badge, CaseRef, LoadError, Loading, Notice, RagBadge, Time, formatDateTime, localToIso } from '../components';
import { useAsync } from '../hooks';
import { normaliseProblemIncidents } from '../incident-model';
import { normaliseProblem } from '../model';
import { areaName, useReference } from '../reference';
import { Link, setSearchParams, useSearchParams } from '../router';
import { useSession } from '../session-context';
import { label } from '../vocab';
import { AssignActionForm } from './assign-action-form';
import { AnalysisForm, CloseForm, PrioritiseForm, ReopenForm, ReviewForm } from './problem-forms';
import { LinkedIncidents } from './linked-incidents';
import { Timeline } from './problem-timeline';

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
    return { problem: { ...problem, revision: response.revision ?? problem.revision }, incidents: normaliseProblemIncidents(response.data['incidents']) };
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
  const { problem, incidents } = state.data;
  const readOnly = !!asAt;
  const isOpen = problem.status === 'open';

  return (
    <>
      <p className="breadcrumb">
        <Link to="/problems">Problems</Link>
      </p>
      <div className="page-head">
        <div className="page-head__title">
          <h1 tabIndex={-1}>{problem.title}</h1>
          <CaseRef value={problem.reference} />
        </div>
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

      {incidents && <LinkedIncidents incidents={incidents} />}

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
