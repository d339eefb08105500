import { useMemo, useState, type ReactNode } from 'react';
import { describeProblem, download, get, withQuery } from '../api';
import { useSession } from '../session-context';
import { LoadError, Loaded, Notice, SelectField, SortableTable, TextField } from '../components';
import type { HotspotFeatureCollection } from '../hotspot-map';
import { useAsync } from '../hooks';
import { BarChart, HotspotMap } from '../lazy-views';
import { itemsOf, normaliseHotspot } from '../model';
import { agencyName, areaName, useReference } from '../reference';
import { setSearchParams, useSearchParams } from '../router';
import { label, OUTCOMES } from '../vocab';
import { FIGURE_COLOURS, OUTCOME_COLOURS } from '../chart-colours';
import { EmergingHotspots } from './emerging-hotspots';

interface AgencyFigures {
  agency: string;
  discharged: number;
  inProcess: number;
  overdue: number;
  onTimeRate?: number | null;
  medianDaysToDischarge?: number | null;
}

interface DischargedActions extends Omit<AgencyFigures, 'agency'> {
  byResult?: Record<string, number>;
  byAgency: AgencyFigures[];
}

interface Outcomes {
  closed: number;
  byOutcome?: Record<string, number>;
  medianDaysOpen?: number | null;
  reopenRate?: number | null;
  recurrences?: number;
  byMonth: Record<string, unknown>[];
}

interface TacticalOption {
  problemCategory: string;
  tactic: { category: string; name: string };
  uses: number;
  /** Uses whose problem is closed: the count the success rate and its lower bound are taken over. */
  closedUses?: number;
  outcomes?: Record<string, number>;
  successRate?: number | null;
  successLowerBound?: number | null;
  medianDaysToDischarge?: number | null;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${Math.round(v * 100)}%`);
const days = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${Number(v).toFixed(1)} days`);
const n = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);

/** `2026-12-01` -> `1 Dec 2026` (a calendar day, whatever the browser's zone). */
function dayLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function bareDay(value: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}

/** One figure of a `dl.figures`: its term and its value (`name`: the figure's `data-figure`). */
function Figure({ term, name, children }: { term: ReactNode; name?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd data-figure={name}>{children}</dd>
    </div>
  );
}

/** The manager's dashboard: every figure is a projection query, in the window chosen above. */
export function DashboardPage() {
  const { config } = useSession();
  const reference = useReference();
  const params = useSearchParams();
  const from = bareDay(params.get('from') ?? '') ?? '';
  const to = bareDay(params.get('to') ?? '') ?? '';
  const category = params.get('category') ?? '';
  const [downloadError, setDownloadError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const [showIncidents, setShowIncidents] = useState(true);
  const period = { from: from || undefined, to: to || undefined };
  // In process and overdue are counted as at the period's end (midnight starting `to`), else now.
  const asAt = dayLabel(to || today());

  const hotspots = useAsync(async () => itemsOf((await get(withQuery('/v1/hotspots', { ...period, category, limit: 50 }))).data).map(normaliseHotspot), [from, to, category, tick]);
  const geojson = useAsync(async () => (await get<HotspotFeatureCollection>(withQuery('/v1/hotspots.geojson', { ...period, category }), { accept: 'application/geo+json, application/json' })).data, [from, to, category, tick]);
  const incidents = useAsync(
    async () => (showIncidents ? (await get<HotspotFeatureCollection>(withQuery('/v1/incidents.geojson', { ...period, category }), { accept: 'application/geo+json, application/json' })).data : undefined),
    [from, to, category, tick, showIncidents],
  );
  const discharged = useAsync(async () => (await get<DischargedActions>(withQuery('/v1/discharged-actions', period))).data, [from, to, tick]);
  const outcomes = useAsync(async () => (await get<Outcomes>(withQuery('/v1/outcomes', { ...period, category }))).data, [from, to, category, tick]);

  const update = (changes: Record<string, string | undefined>) => setSearchParams({ from, to, category, ...changes });
  const tileUrl = config.map?.tileUrl ?? (import.meta.env.VITE_MAP_TILE_URL as string | undefined);

  const save = async (path: string, filename: string, accept: string) => {
    setDownloadError(undefined);
    try {
      await download(path, filename, accept);
    } catch (error) {
      setDownloadError(error);
    }
  };

  const agencyChart = useMemo(() => {
    const rows = discharged.data?.byAgency ?? [];
    return {
      labels: rows.map((r) => agencyName(reference, r.agency)),
      series: [
        { label: 'Discharged', values: rows.map((r) => n(r.discharged)), colour: FIGURE_COLOURS.discharged },
        { label: 'In process', values: rows.map((r) => n(r.inProcess)), colour: FIGURE_COLOURS.inProcess },
        { label: 'Overdue', values: rows.map((r) => n(r.overdue)), colour: FIGURE_COLOURS.overdue },
      ],
    };
  }, [discharged.data, reference]);

  const monthChart = useMemo(() => {
    const months = outcomes.data?.byMonth ?? [];
    const monthOf = (m: Record<string, unknown>) => String(m['month'] ?? m['period'] ?? '');
    const outcomeOf = (m: Record<string, unknown>, o: string) => n((m['byOutcome'] as Record<string, number> | undefined)?.[o] ?? m[o]);
    const used = OUTCOMES.filter((o) => months.some((m) => outcomeOf(m, o) > 0));
    return {
      labels: months.map(monthOf),
      series: (used.length ? used : ['closed']).map((o) => ({ label: label(o), values: months.map((m) => (used.length ? outcomeOf(m, o) : n(m['closed']))), colour: OUTCOME_COLOURS[o] })),
    };
  }, [outcomes.data]);

  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Dashboard</h1>
        <button type="button" className="button button--secondary" onClick={() => setTick((t) => t + 1)}>
          Refresh figures
        </button>
      </div>
      <form className="filters" aria-label="Period and category" onSubmit={(e) => e.preventDefault()}>
        <TextField name="from" label="From" type="date" hint="From midnight (inclusive)" value={from} onChange={(e) => update({ from: e.target.value })} />
        <TextField name="to" label="To" type="date" hint="Up to midnight (exclusive)" value={to} onChange={(e) => update({ to: e.target.value })} />
        <SelectField name="category" label="Problem category" empty="All categories" options={reference.categories} value={category} onChange={(e) => update({ category: e.target.value })} />
      </form>

      <section aria-labelledby="hotspots" className="panel">
        <div className="section-head">
          <h2 id="hotspots">Hotspots</h2>
          <button type="button" className="button button--secondary" onClick={() => void save(withQuery('/v1/hotspots.geojson', { ...period, category }), 'hotspots.geojson', 'application/geo+json')}>
            Download GeoJSON
          </button>
        </div>
        <div className="hotspot-grid">
          <div>
            <Loaded state={hotspots} what="hotspots" isEmpty={(data) => data.length === 0} empty={<p className="empty">No open problems in this period.</p>}>
              {(data) => (
                <SortableTable
                  caption="Hotspot ranking (highest score first)"
                  rowKey={(h) => h.areaCode}
                  initialSort={{ key: 'score', dir: 'desc' }}
                  rows={data}
                  columns={[
                    { key: 'rank', header: 'Rank', numeric: true, render: (h) => data.indexOf(h) + 1 },
                    { key: 'area', header: 'Area', render: (h) => areaName(reference, h.areaCode), sortValue: (h) => areaName(reference, h.areaCode) },
                    { key: 'score', header: 'Score', numeric: true, render: (h) => h.score.toFixed(1), sortValue: (h) => h.score },
                    { key: 'open', header: 'Open problems', numeric: true, render: (h) => h.openProblems, sortValue: (h) => h.openProblems },
                    { key: 'openActions', header: 'Open actions', numeric: true, render: (h) => h.openActions, sortValue: (h) => h.openActions },
                    { key: 'unclaimed', header: 'Unclaimed', numeric: true, render: (h) => h.unclaimedActions, sortValue: (h) => h.unclaimedActions },
                    { key: 'overdue', header: 'Overdue', numeric: true, render: (h) => h.overdueActions, sortValue: (h) => h.overdueActions },
                  ]}
                />
              )}
            </Loaded>
          </div>
          <div>
            <div className="field field--checkbox">
              <input id="show-incidents" type="checkbox" checked={showIncidents} onChange={(e) => setShowIncidents(e.target.checked)} />
              <label htmlFor="show-incidents">Show incidents on the map</label>
            </div>
            {incidents.error ? <LoadError error={incidents.error} what="the incidents for the map" /> : null}
            {geojson.error ? (
              <LoadError error={geojson.error} what="the hotspot map" />
            ) : (
              <HotspotMap
                geojson={geojson.data}
                incidents={showIncidents ? incidents.data : undefined}
                areas={reference.areas}
                tileUrl={tileUrl}
                attribution={config.map?.attribution}
                label={`Map of hotspots: circles sized by score${showIncidents ? ', incidents as small dots' : ''}. The ranking table has the same hotspot figures.`}
              />
            )}
          </div>
        </div>
      </section>

      <EmergingHotspots category={category} refreshKey={tick} />

      <section aria-labelledby="discharged" className="panel">
        <div className="section-head">
          <h2 id="discharged">Actions discharged and in process</h2>
          <div className="section-head__buttons">
            <button type="button" className="button button--secondary" onClick={() => void save(withQuery('/v1/discharged-actions/items', { ...period, format: 'csv', names: 'true' }), 'discharged-actions.csv', 'text/csv')}>
              Download CSV
            </button>
            <button type="button" className="button button--secondary" onClick={() => void save(withQuery('/v1/discharged-actions', { ...period, format: 'csv' }), 'actions-per-agency.csv', 'text/csv')}>
              Download figures per agency (CSV)
            </button>
            <button type="button" className="button button--secondary" onClick={() => void save(withQuery('/v1/discharged-actions/in-process', { to: to || undefined, format: 'csv', names: 'true' }), 'in-process-actions.csv', 'text/csv')}>
              Download in-process actions (CSV)
            </button>
          </div>
        </div>
        {downloadError ? <Notice kind="warning">The download failed. {describeProblem(downloadError)}</Notice> : null}
        <Loaded state={discharged} what="discharged actions">
          {(data) => (
            <>
              <dl className="figures" aria-label="Discharged actions in the period">
                <Figure term="Discharged" name="discharged">{n(data.discharged)}</Figure>
                <Figure term={<>In process on {asAt}{to ? '' : ' (now)'}</>} name="in-process">{n(data.inProcess)}</Figure>
                <Figure term={<>Overdue on {asAt}{to ? '' : ' (now)'}</>} name="overdue">{n(data.overdue)}</Figure>
                <Figure term="On time">{pct(data.onTimeRate)}</Figure>
                <Figure term="Median time to discharge">{days(data.medianDaysToDischarge)}</Figure>
              </dl>
              {agencyChart.labels.length > 0 ? (
                <BarChart
                  id="agency-chart"
                  title="Discharged and in-process actions per agency"
                  labels={agencyChart.labels}
                  series={agencyChart.series}
                  summary={(data.byAgency ?? []).map((r) => `${agencyName(reference, r.agency)}: ${n(r.discharged)} discharged, ${n(r.inProcess)} in process`).join('; ')}
                />
              ) : (
                <p className="empty">No actions in this period.</p>
              )}
            </>
          )}
        </Loaded>
      </section>

      <section aria-labelledby="outcomes" className="panel">
        <div className="section-head">
          <h2 id="outcomes">Outcomes</h2>
          <button type="button" className="button button--secondary" onClick={() => void save(withQuery('/v1/outcomes', { ...period, category, format: 'csv' }), 'outcomes.csv', 'text/csv')}>
            Download outcomes (CSV)
          </button>
        </div>
        <Loaded state={outcomes} what="outcomes">
          {(data) => (
            <>
              <dl className="figures" aria-label="Problem closures in the period">
                <Figure term="Closed" name="closed">{n(data.closed)}</Figure>
                <Figure term="Median days open">{days(data.medianDaysOpen)}</Figure>
                <Figure term="Reopen rate">{pct(data.reopenRate)}</Figure>
                <Figure term="Recurrences">{n(data.recurrences)}</Figure>
              </dl>
              {monthChart.labels.length > 0 ? (
                <BarChart id="outcome-chart" title="Outcomes by month" labels={monthChart.labels} series={monthChart.series} stacked summary={`${n(data.closed)} closures over ${monthChart.labels.length} months`} />
              ) : (
                <p className="empty">No problems closed in this period.</p>
              )}
            </>
          )}
        </Loaded>
      </section>

      <TacticalOptions />
    </>
  );
}

/** `100% (3 of 3)`: the rate with the closed uses it is taken over. */
function successOf(t: TacticalOption): string {
  if (t.successRate === null || t.successRate === undefined) return '–';
  const closed = n(t.closedUses);
  return `${pct(t.successRate)} (${Math.round(t.successRate * closed)} of ${closed})`;
}

function TacticalOptions() {
  const reference = useReference();
  const [problemCategory, setProblemCategory] = useState('');
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const state = useAsync(async () => itemsOf((await get(withQuery('/v1/tactical-options', { problemCategory, q: query, limit: 200 }))).data) as unknown as TacticalOption[], [problemCategory, query]);
  return (
    <section aria-labelledby="tactics" className="panel">
      <h2 id="tactics">Tactical-options library</h2>
      <form
        className="filters"
        aria-label="Search the tactical-options library"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(q);
        }}
      >
        <SelectField name="problemCategory" label="Problem category" empty="All categories" options={reference.categories} value={problemCategory} onChange={(e) => setProblemCategory(e.target.value)} />
        <TextField name="q" label="Search tactics" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="submit" className="button button--secondary">
          Search
        </button>
      </form>
      <Loaded state={state} what="the tactical-options library" loading="tactical options" isEmpty={(data) => data.length === 0} empty={<p className="empty">No tactics recorded yet for this search.</p>}>
        {(data) => (
          <SortableTable
            caption="Tactics by problem category (best lower bound first; select a heading to sort). The success rate and its lower bound count only uses on problems now closed: the fewer of those, the lower the bound."
            rowKey={(t) => `${t.problemCategory}/${t.tactic.category}/${t.tactic.name}`}
            rows={data}
            columns={[
              { key: 'problemCategory', header: 'Problem category', render: (t) => label(t.problemCategory), sortValue: (t) => t.problemCategory },
              { key: 'tactic', header: 'Tactic', render: (t) => `${t.tactic.name} (${label(t.tactic.category)})`, sortValue: (t) => t.tactic.name },
              { key: 'uses', header: 'Uses', numeric: true, render: (t) => t.uses, sortValue: (t) => n(t.uses) },
              { key: 'closedUses', header: 'On closed problems', numeric: true, render: (t) => n(t.closedUses), sortValue: (t) => n(t.closedUses) },
              { key: 'success', header: 'Success rate', numeric: true, render: successOf, sortValue: (t) => n(t.successRate) },
              { key: 'lower', header: 'Lower bound (95%)', numeric: true, render: (t) => pct(t.successLowerBound), sortValue: (t) => n(t.successLowerBound) },
              { key: 'median', header: 'Median days to discharge', numeric: true, render: (t) => days(t.medianDaysToDischarge), sortValue: (t) => n(t.medianDaysToDischarge) },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}
