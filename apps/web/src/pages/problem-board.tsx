import { useState } from 'react';
import { get, withQuery, type Page } from '../api';
import { useSession } from '../session-context';
import { Badge, CaseRef, Loaded, RagBadge, SelectField, SortableTable, TextField, Time } from '../components';
import { SEARCH_MAX_LENGTH } from '../field-messages';
import { useAsync } from '../hooks';
import { itemsOf, normaliseProblem, type Problem } from '../model';
import { areaName, useReference } from '../reference';
import { Link, setSearchParams, useSearchParams } from '../router';
import { label, PRIORITIES, PROBLEM_STATUSES, RAGS } from '../vocab';

const FILTERS = ['q', 'areaCode', 'category', 'status', 'priority', 'groupCode', 'rag'] as const;

/** The problem board: every filter and the search text are in the address, so a filtered board can be bookmarked or shared. */
export function ProblemBoardPage() {
  const { can } = useSession();
  const reference = useReference();
  const params = useSearchParams();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  if (!params.has('status')) filters.status = 'open';
  const [extra, setExtra] = useState<{ items: Problem[]; cursor?: string | null }>({ items: [] });
  const [draft, setDraft] = useState({ for: filters.q, text: filters.q });
  if (draft.for !== filters.q) setDraft({ for: filters.q, text: filters.q }); // a search from the header
  const listQuery = (cursor?: string) =>
    withQuery('/v1/problems', { q: filters.q, areaCode: filters.areaCode, category: filters.category, status: filters.status === 'all' ? '' : filters.status, priority: filters.priority, groupCode: filters.groupCode, limit: 100, cursor });

  const state = useAsync(async () => {
    setExtra({ items: [] });
    const response = await get<Page<Record<string, unknown>>>(listQuery());
    return { items: itemsOf(response.data).map(normaliseProblem), cursor: response.data.nextCursor };
  }, [filters.q, filters.areaCode, filters.category, filters.status, filters.priority, filters.groupCode]);

  const update = (name: string, value: string) => setSearchParams({ ...filters, [name]: value });
  const loadMore = async () => {
    const cursor = extra.cursor ?? state.data?.cursor;
    if (!cursor) return;
    const response = await get<Page<Record<string, unknown>>>(listQuery(cursor));
    setExtra({ items: [...extra.items, ...itemsOf(response.data).map(normaliseProblem)], cursor: response.data.nextCursor ?? null });
  };

  // RAG is the latest review's rating: the list route has no RAG filter, so it is applied here.
  const all = [...(state.data?.items ?? []), ...extra.items];
  const rows = filters.rag ? all.filter((p) => (filters.rag === 'none' ? !p.rag : p.rag === filters.rag)) : all;
  const more = extra.cursor !== undefined ? extra.cursor : state.data?.cursor;

  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Problems</h1>
        {can('inspector') && (
          <Link to="/problems/new" className="button">
            Raise a problem
          </Link>
        )}
      </div>
      <form
        className="filters"
        aria-label="Filter problems"
        onSubmit={(e) => {
          e.preventDefault();
          update('q', draft.text.trim());
        }}
      >
        <div className="filters__search">
          <TextField
            name="q"
            type="search"
            label="Search titles, descriptions and areas, or a case reference"
            value={draft.text}
            maxLength={SEARCH_MAX_LENGTH}
            onChange={(e) => setDraft({ for: filters.q, text: e.target.value })}
          />
          <button type="submit" className="button">
            Search
          </button>
        </div>
        <SelectField name="areaCode" label="Area" empty="All areas" value={filters.areaCode} onChange={(e) => update('areaCode', e.target.value)} options={reference.areas.map((a) => ({ value: a.code, label: a.name }))} />
        <SelectField name="category" label="Category" empty="All categories" value={filters.category} onChange={(e) => update('category', e.target.value)} options={reference.categories} />
        <SelectField name="status" label="Status" value={filters.status} onChange={(e) => update('status', e.target.value)} options={[...PROBLEM_STATUSES, { value: 'all', label: 'Open and closed' }]} />
        <SelectField name="priority" label="Priority" empty="Any priority" value={filters.priority} onChange={(e) => update('priority', e.target.value)} options={PRIORITIES} />
        <SelectField name="rag" label="RAG" empty="Any RAG" value={filters.rag} onChange={(e) => update('rag', e.target.value)} options={[...RAGS, { value: 'none', label: 'Not reviewed' }]} />
        {reference.groups.length > 0 && (
          <SelectField name="groupCode" label="Tasking group" empty="All groups" value={filters.groupCode} onChange={(e) => update('groupCode', e.target.value)} options={reference.groups.map((g) => ({ value: g.code, label: g.name }))} />
        )}
      </form>
      <Loaded state={state} what="problems" isEmpty={() => rows.length === 0}
        empty={
          <p className="empty" role="status">
            {filters.q ? `No problems match “${filters.q}” with these filters.` : 'No problems match these filters.'}
          </p>
        }
      >
        {() => (
          <>
            <p className="count" role="status">
              {rows.length} problem{rows.length === 1 ? '' : 's'} shown{filters.q ? ` matching “${filters.q}”` : ''}
            </p>
            <SortableTable
              caption="Problems"
              rowKey={(p) => p.id}
              columns={[
                {
                  key: 'title',
                  header: 'Problem',
                  render: (p) => (
                    <>
                      <Link to={`/problems/${p.id}`}>{p.title}</Link> <CaseRef value={p.reference} />
                    </>
                  ),
                  sortValue: (p) => p.title,
                },
                { key: 'area', header: 'Area', render: (p) => areaName(reference, p.areaCode), sortValue: (p) => areaName(reference, p.areaCode) },
                { key: 'category', header: 'Category', render: (p) => label(p.category), sortValue: (p) => p.category },
                { key: 'priority', header: 'Priority', render: (p) => <Badge value={p.priority ?? 'unset'} kind={p.priority ? `priority-${p.priority}` : 'muted'} />, sortValue: (p) => ({ high: 3, medium: 2, low: 1 })[p.priority ?? ''] ?? 0 },
                { key: 'status', header: 'Status', render: (p) => <Badge value={p.status} />, sortValue: (p) => p.status },
                { key: 'rag', header: 'RAG', render: (p) => <RagBadge rag={p.rag} />, sortValue: (p) => ({ red: 3, amber: 2, green: 1 })[p.rag ?? ''] ?? 0 },
                { key: 'actions', header: 'Open actions', numeric: true, render: (p) => (p.openActions ?? '–'), sortValue: (p) => p.openActions ?? 0 },
                { key: 'raised', header: 'Raised', render: (p) => <Time value={p.raisedAt} />, sortValue: (p) => p.raisedAt ?? '' },
              ]}
              rows={rows}
            />
            {more && (
              <button type="button" className="button button--secondary" onClick={() => void loadMore()}>
                Show more problems
              </button>
            )}
          </>
        )}
      </Loaded>
    </>
  );
}
