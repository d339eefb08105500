import { get, withQuery, type Page } from '../api';
import { ActionCard } from '../action-card';
import { useSession } from '../app';
import { LoadError, Loading, Notice, SelectField } from '../components';
import { useAsync } from '../hooks';
import { itemsOf, normaliseAction } from '../model';
import { agencyName, useReference } from '../reference';
import { setSearchParams, useSearchParams } from '../router';
import { ACTION_STATUSES } from '../vocab';

/**
 * The work queue. Officers see their own agency's actions only (the API refuses another agency's
 * queue); inspectors and managers may pick any agency.
 */
export function ActionsQueuePage() {
  const { can, session } = useSession();
  const reference = useReference();
  const params = useSearchParams();
  const officerOnly = can('officer') && !can('inspector', 'manager');
  const status = params.get('status') ?? '';
  const overdue = params.get('overdue') === 'true';
  const agency = officerOnly ? '' : (params.get('agency') ?? '');
  const problemId = params.get('problemId') ?? '';

  const state = useAsync(
    async (minPosition?: string) => {
      const response = await get<Page<Record<string, unknown>>>(withQuery('/v1/actions', { status, overdue: overdue ? 'true' : undefined, agency, problemId, limit: 200 }), { minPosition });
      return itemsOf(response.data).map((a) => normaliseAction(a));
    },
    [status, overdue, agency, problemId],
  );

  const update = (changes: Record<string, string | undefined>) => setSearchParams({ status, overdue: overdue ? 'true' : undefined, agency, problemId, ...changes });
  const title = officerOnly ? `${agencyName(reference, session.claims.agency)}: our actions` : 'Actions';

  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>{officerOnly ? 'My agency’s actions' : 'Actions'}</h1>
        <button type="button" className="button button--secondary" onClick={() => void state.reload()}>
          Refresh
        </button>
      </div>
      {officerOnly && <p className="lead">Actions assigned to {agencyName(reference, session.claims.agency)}. Any officer of the agency may claim one; the claimant is recorded.</p>}
      <form className="filters" aria-label="Filter actions" onSubmit={(e) => e.preventDefault()}>
        <SelectField name="status" label="Status" empty="Any status" options={ACTION_STATUSES} value={status} onChange={(e) => update({ status: e.target.value })} />
        {!officerOnly && (
          <SelectField name="agency" label="Agency" empty="All agencies" options={reference.agencies.map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))} value={agency} onChange={(e) => update({ agency: e.target.value })} />
        )}
        <div className="field field--checkbox">
          <input id="overdue-only" type="checkbox" checked={overdue} onChange={(e) => update({ overdue: e.target.checked ? 'true' : undefined })} />
          <label htmlFor="overdue-only">Overdue only</label>
        </div>
      </form>
      {problemId && (
        <Notice>
          Showing one problem’s actions.{' '}
          <button type="button" className="link-button" onClick={() => update({ problemId: undefined })}>
            Show all
          </button>
        </Notice>
      )}
      {state.error ? (
        <LoadError error={state.error} what="the actions" retry={() => void state.reload()} />
      ) : !state.data ? (
        <Loading what="actions" />
      ) : state.data.length === 0 ? (
        <p className="empty">No actions match.</p>
      ) : (
        <>
          <p className="count" role="status">
            {state.data.length} action{state.data.length === 1 ? '' : 's'} · {title}
          </p>
          <div className="action-list">
            {state.data.map((action) => (
              <ActionCard key={action.id} action={action} showProblem headingLevel="h2" onChanged={(r) => state.reload(r.position)} onStale={() => state.reload()} />
            ))}
          </div>
        </>
      )}
    </>
  );
}
