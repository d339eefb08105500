import { useEffect, useRef } from 'react';
import { get, withQuery, type Page } from '../api';
import { ActionCard } from '../action-card';
import { useSession } from '../session-context';
import { Loaded, Notice, SelectField } from '../components';
import { useAsync } from '../hooks';
import { itemsOf, normaliseAction, type Action } from '../model';
import { agencyName, useReference } from '../reference';
import { setSearchParams, useSearchParams } from '../router';
import { ACTION_STATUSES, label } from '../vocab';

/** What the queue shows without a status in the address: the work someone can still act on. */
const OPEN_WORK = 'unclaimed,claimed';
const ANY = 'any';

/** Overdue first, then soonest due. */
const overdueFirst = (actions: Action[]) =>
  [...actions].sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueBy ?? '').localeCompare(b.dueBy ?? '') || a.id.localeCompare(b.id));

/**
 * The work queue. Officers see their own agency's actions only (the API refuses another agency's
 * queue); inspectors and managers may pick any agency. It opens on open work (unclaimed and
 * claimed), overdue first.
 */
export function ActionsQueuePage() {
  const { can, session } = useSession();
  const reference = useReference();
  const params = useSearchParams();
  const officerOnly = can('officer') && !can('inspector', 'manager');
  const status = params.get('status') ?? '';
  const statusFilter = status === '' ? OPEN_WORK : status === ANY ? undefined : status;
  const overdue = params.get('overdue') === 'true';
  const mine = params.get('claimedBy') === 'me';
  const agency = officerOnly ? '' : (params.get('agency') ?? '');
  const problemId = params.get('problemId') ?? '';

  // Actions changed from this page (or refreshed after a conflict) stay in view, with their
  // confirmation or what was typed, until the filters change, even when the change takes them out
  // of the filter (a discharge out of open work).
  const touched = useRef(new Set<string>());
  const state = useAsync(
    async (minPosition?: string) => {
      const response = await get<Page<Record<string, unknown>>>(
        withQuery('/v1/actions', { status: statusFilter, overdue: overdue ? 'true' : undefined, claimedBy: mine ? 'me' : undefined, agency, problemId, limit: 200 }),
        { minPosition },
      );
      const listed = itemsOf(response.data).map((a) => normaliseAction(a));
      const missing = [...touched.current].filter((id) => !listed.some((a) => a.id === id));
      const kept = await Promise.all(missing.map(async (id) => normaliseAction((await get<Record<string, unknown>>(`/v1/actions/${id}`, { minPosition })).data)));
      return overdueFirst([...listed, ...kept]);
    },
    [statusFilter, overdue, mine, agency, problemId],
  );
  useEffect(() => () => touched.current.clear(), [statusFilter, overdue, mine, agency, problemId]);

  const update = (changes: Record<string, string | undefined>) =>
    setSearchParams({ status: status || undefined, overdue: overdue ? 'true' : undefined, claimedBy: mine ? 'me' : undefined, agency, problemId, ...changes });
  const statusOptions = [{ value: ANY, label: 'Any status' }, ...ACTION_STATUSES.map((s) => ({ value: s, label: label(s) }))];
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
        <SelectField name="status" label="Status" empty="Open work (unclaimed or claimed)" options={statusOptions} value={status} onChange={(e) => update({ status: e.target.value || undefined })} />
        {!officerOnly && (
          <SelectField name="agency" label="Agency" empty="All agencies" options={reference.agencies.map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))} value={agency} onChange={(e) => update({ agency: e.target.value })} />
        )}
        <div className="field field--checkbox">
          <input id="overdue-only" type="checkbox" checked={overdue} onChange={(e) => update({ overdue: e.target.checked ? 'true' : undefined })} />
          <label htmlFor="overdue-only">Overdue only</label>
        </div>
        {can('officer') && (
          <div className="field field--checkbox">
            <input id="claimed-by-me" type="checkbox" checked={mine} onChange={(e) => update({ claimedBy: e.target.checked ? 'me' : undefined })} />
            <label htmlFor="claimed-by-me">Claimed by me</label>
          </div>
        )}
      </form>
      {problemId && (
        <Notice>
          Showing one problem’s actions.{' '}
          <button type="button" className="link-button" onClick={() => update({ problemId: undefined })}>
            Show all
          </button>
        </Notice>
      )}
      <Loaded state={state} what="the actions" loading="actions" isEmpty={(data) => data.length === 0} empty={<p className="empty">No actions match.</p>}>
        {(data) => (
          <>
            <p className="count" role="status">
              {data.length} action{data.length === 1 ? '' : 's'} · {title}
            </p>
            <div className="action-list">
              {data.map((action) => (
                <ActionCard
                  key={action.id}
                  action={action}
                  showProblem
                  headingLevel="h2"
                  onChanged={(r) => {
                    touched.current.add(action.id);
                    return state.reload(r.position);
                  }}
                  onStale={() => {
                    touched.current.add(action.id);
                    return state.reload();
                  }}
                />
              ))}
            </div>
          </>
        )}
      </Loaded>
    </>
  );
}
