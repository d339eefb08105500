/**
 * Incident triage: the untriaged incidents (or any status) on a map and in a list, each with the
 * open problems and likely duplicates the API suggests, and one- or two-click triage: link to a
 * suggested problem, mark as a duplicate, dismiss with a reason, or raise a problem from several.
 * A triaged card stays in view (with its new status) until the filters change or the list is
 * refreshed, so focus stays where the user was.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { FormButtons } from '../action-card';
import { useAnnounce } from '../announcer';
import { command, get, withQuery } from '../api';
import { Badge, ErrorSummary, FormErrors, Loaded, SelectField, TextArea } from '../components';
import { useAsync } from '../hooks';
import {
  DISMISS_REASON_CODES,
  distanceText,
  incidentFeatures,
  INCIDENT_CHANNELS,
  INCIDENT_STATUSES,
  normaliseIncident,
  normaliseSource,
  normaliseSuggestions,
  occurredText,
  raiseFromIncidentsPath,
  type Incident,
} from '../incident-model';
import { HotspotMap } from '../lazy-views';
import { itemsOf } from '../model';
import { areaName, useReference } from '../reference';
import { Link, navigate, setSearchParams, useSearchParams } from '../router';
import { useSession } from '../session-context';
import { label } from '../vocab';

const LIST_LIMIT = 100;
/** Incidents a problem can still take in: not yet linked, marked duplicate, dismissed or withdrawn. */
const LINKABLE = ['untriaged', 'recorded'];

export function IncidentsPage() {
  const { config, can } = useSession();
  const reference = useReference();
  const params = useSearchParams();
  const filters = {
    status: params.get('status') ?? 'untriaged',
    unmapped: params.get('unmapped') ?? '',
    areaCode: params.get('areaCode') ?? '',
    category: params.get('category') ?? '',
    source: params.get('source') ?? '',
    channel: params.get('channel') ?? '',
  };
  const filterKey = JSON.stringify(filters);
  const [tick, setTick] = useState(0);
  // Incidents triaged here since the list was read: shown with their new status until the list is read again.
  const [triaged, setTriaged] = useState<Record<string, Partial<Incident>>>({});
  const [selected, setSelected] = useState<string[]>([]);

  const list = useAsync(async () => {
    const response = await get<{ items?: unknown[]; nextCursor?: string | null }>(
      withQuery('/v1/incidents', { ...filters, status: filters.status === 'all' ? undefined : filters.status, limit: LIST_LIMIT }),
    );
    return { items: itemsOf(response.data).map(normaliseIncident), more: !!response.data?.nextCursor };
  }, [filterKey, tick]);
  const sources = useAsync(async () => itemsOf((await get('/v1/sources')).data).map(normaliseSource), []);

  useEffect(() => {
    setTriaged({});
    setSelected([]);
  }, [filterKey, tick]);

  const incidents = useMemo(() => (list.data?.items ?? []).map((i) => ({ ...i, ...triaged[i.id] })), [list.data, triaged]);
  const features = useMemo(() => incidentFeatures(incidents), [incidents]);
  const chosen = incidents.filter((i) => selected.includes(i.id));
  const update = (changes: Record<string, string | undefined>) => setSearchParams({ ...filters, ...changes });
  const tileUrl = config.map?.tileUrl ?? (import.meta.env.VITE_MAP_TILE_URL as string | undefined);

  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1}>Incidents</h1>
        <button type="button" className="button button--secondary" onClick={() => setTick((t) => t + 1)}>
          Refresh the list
        </button>
      </div>
      <form className="filters" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          name="status"
          label="Status"
          options={[...INCIDENT_STATUSES.map((s) => ({ value: s, label: label(s) })), { value: 'all', label: 'All but withdrawn' }]}
          value={filters.status}
          onChange={(e) => update({ status: e.target.value })}
        />
        <SelectField name="areaCode" label="Area" empty="All areas" options={reference.areas.map((a) => ({ value: a.code, label: a.name }))} value={filters.areaCode} onChange={(e) => update({ areaCode: e.target.value })} />
        <SelectField name="category" label="Category" empty="All categories" options={reference.categories} value={filters.category} onChange={(e) => update({ category: e.target.value })} />
        <SelectField
          name="source"
          label="Source"
          empty="All sources"
          options={[...new Set(['console', ...(sources.data ?? []).map((s) => s.code)])].map((code) => ({ value: code, label: sources.data?.find((s) => s.code === code)?.name ?? label(code) }))}
          value={filters.source}
          onChange={(e) => update({ source: e.target.value })}
        />
        <SelectField name="channel" label="Channel" empty="All channels" options={INCIDENT_CHANNELS} value={filters.channel} onChange={(e) => update({ channel: e.target.value })} />
        <div className="field field--checkbox">
          <input id="filter-unmapped" type="checkbox" checked={filters.unmapped === 'true'} onChange={(e) => update({ unmapped: e.target.checked ? 'true' : undefined })} />
          <label htmlFor="filter-unmapped">Only incidents in no area</label>
        </div>
      </form>

      <Loaded state={list} what="incidents" isEmpty={(data) => data.items.length === 0} empty={<p className="empty">No incidents match these filters.</p>}>
        {(data) => (
          <div className="triage-grid">
            <section aria-labelledby="incident-list">
              <h2 id="incident-list">
                {data.items.length}
                {data.more ? '+' : ''} incident{data.items.length === 1 ? '' : 's'}
              </h2>
              {data.more && <p className="count">Showing the first {LIST_LIMIT}: narrow the filters to see the rest.</p>}
              {can('inspector') && (
                <div className="selection-bar" aria-live="polite">
                  <span>
                    {chosen.length === 0 ? 'Select incidents to raise a problem from them.' : `${chosen.length} incident${chosen.length === 1 ? '' : 's'} selected.`}
                  </span>
                  {chosen.length > 0 && (
                    <>
                      <button type="button" className="button" onClick={() => navigate(raiseFromIncidentsPath(chosen))}>
                        Raise a problem from these
                      </button>
                      <button type="button" className="button button--quiet" onClick={() => setSelected([])}>
                        Clear selection
                      </button>
                    </>
                  )}
                </div>
              )}
              <ul className="incident-list">
                {incidents.map((incident) => (
                  <li key={incident.id}>
                    <IncidentCard
                      incident={incident}
                      sourceName={sources.data?.find((s) => s.code === incident.source)?.name ?? label(incident.source)}
                      selected={selected.includes(incident.id)}
                      onSelect={(on) => setSelected((ids) => (on ? [...ids, incident.id] : ids.filter((id) => id !== incident.id)))}
                      onTriaged={(changes) => {
                        setTriaged((all) => ({ ...all, [incident.id]: changes }));
                        setSelected((ids) => ids.filter((id) => id !== incident.id));
                      }}
                    />
                  </li>
                ))}
              </ul>
            </section>
            <section aria-labelledby="incident-map">
              <h2 id="incident-map">Map</h2>
              <HotspotMap
                geojson={undefined}
                incidents={features}
                areas={reference.areas}
                tileUrl={tileUrl}
                attribution={config.map?.attribution}
                label="Map of the incidents listed: one dot each (those without coordinates are not drawn). The list has the same incidents."
              />
            </section>
          </div>
        )}
      </Loaded>
    </>
  );
}

interface IncidentCardProps {
  incident: Incident;
  sourceName: string;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  onTriaged: (changes: Partial<Incident>) => void;
}

/** One incident: what, where and when, its suggestions, and the triage buttons (inspectors). */
function IncidentCard({ incident, sourceName, selected, onSelect, onTriaged }: IncidentCardProps) {
  const { can } = useSession();
  const reference = useReference();
  const announce = useAnnounce();
  const [dismissing, setDismissing] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const [confirmed, setConfirmed] = useState(0);
  const confirmation = useRef<HTMLParagraphElement>(null);
  const open = LINKABLE.includes(incident.status);
  const inspector = can('inspector');
  const title = `${label(incident.category)}${incident.areaCode ? ` in ${areaName(reference, incident.areaCode)}` : ''}`;
  const when = occurredText(incident);
  const formId = `dismiss-${incident.id.slice(0, 8)}`;

  const detail = useAsync(async () => (open ? normaliseSuggestions((await get<Record<string, unknown>>(`/v1/incidents/${incident.id}`)).data['suggestions']) : undefined), [incident.id, open]);

  // The button that ran the command is gone afterwards: focus goes to the confirmation, not the top of the page.
  useEffect(() => {
    if (confirmed > 0) confirmation.current?.focus();
  }, [confirmed]);

  const run = async (path: string, body: unknown, success: string, changes: Partial<Incident>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await command(`/v1/incidents/${incident.id}/${path}`, body);
      setDismissing(false);
      setValues({});
      setMessage(success);
      announce(`${success} ${title}${when ? `, ${when}` : ''}.`);
      onTriaged(changes);
      setConfirmed((n) => n + 1);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  const dismiss = (event: FormEvent) => {
    event.preventDefault();
    void run('dismiss', { reasonCode: values.reasonCode ?? '', ...(values.note?.trim() ? { note: values.note } : {}) }, 'Incident dismissed.', { status: 'dismissed' });
  };

  return (
    <article className={`incident-card incident-card--${incident.status}`} aria-label={`Incident: ${title}${when ? `, ${when}` : ''}`} data-incident-id={incident.id}>
      <header className="action-card__head">
        <h3 className="action-card__title">
          {title}
          {when && <span className="incident-card__when"> · {when}</span>}
        </h3>
        <div className="badges">
          <Badge value={incident.status} />
          {incident.unmapped && <Badge value="unmapped" kind="declined" />}
        </div>
      </header>
      <dl className="facts">
        <div>
          <dt>Source</dt>
          <dd>{sourceName}</dd>
        </div>
        <div>
          <dt>Channel</dt>
          <dd>{label(incident.channel)}</dd>
        </div>
        {incident.sourceCategory && incident.sourceCategory !== incident.category && (
          <div>
            <dt>Source’s category</dt>
            <dd>{incident.sourceCategory}</dd>
          </div>
        )}
        {incident.lat !== undefined && incident.lng !== undefined && (
          <div>
            <dt>Coordinates</dt>
            <dd>
              {incident.lat.toFixed(5)}, {incident.lng.toFixed(5)}
            </dd>
          </div>
        )}
        {incident.problemId && (
          <div>
            <dt>Problem</dt>
            <dd>
              <Link to={`/problems/${incident.problemId}`}>Open the linked problem</Link>
            </dd>
          </div>
        )}
      </dl>
      {inspector && open && (
        <div className="field field--checkbox incident-card__select">
          <input id={`select-${incident.id}`} type="checkbox" checked={selected} onChange={(e) => onSelect(e.target.checked)} />
          <label htmlFor={`select-${incident.id}`}>
            Select for a new problem<span className="visually-hidden">: {title}</span>
          </label>
        </div>
      )}
      {open && (
        <Loaded state={detail} what="the suggestions" loading="suggestions">
          {(found) => (
            <div className="suggestions">
              <h4>Open problems nearby</h4>
              {found.problems.length === 0 ? (
                <p className="muted">None of the same category in this area or within 250 m.</p>
              ) : (
                <ul>
                  {found.problems.map((p) => (
                    <li key={p.id}>
                      <Link to={`/problems/${p.id}`}>{p.title}</Link>
                      {p.reference && <span className="muted"> {p.reference}</span>}
                      {p.distanceMetres !== undefined && <span className="muted"> ({distanceText(p.distanceMetres)})</span>}{' '}
                      {inspector && (
                        <button
                          type="button"
                          className="button button--secondary"
                          disabled={busy}
                          onClick={() => void run('link', { problemId: p.id }, `Incident linked to ${p.title}.`, { status: 'linked', problemId: p.id })}
                        >
                          Link<span className="visually-hidden"> this incident to {p.title}</span>
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              <h4>Likely duplicates</h4>
              {found.duplicates.length === 0 ? (
                <p className="muted">None of the same category within 50 m and 72 hours.</p>
              ) : (
                <ul>
                  {found.duplicates.map((d) => (
                    <li key={d.id}>
                      {label(d.category)}, {occurredText(d)}
                      {d.distanceMetres !== undefined && `, ${distanceText(d.distanceMetres)}`} <Badge value={d.status} />{' '}
                      {inspector && (
                        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void run('duplicate', { of: d.id }, 'Incident marked as a duplicate.', { status: 'duplicate' })}>
                          Mark as duplicate<span className="visually-hidden"> of the incident of {occurredText(d)}</span>
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </Loaded>
      )}
      {inspector && incident.status === 'untriaged' && (
        <div className="action-card__buttons">
          <button type="button" className="button button--secondary" aria-expanded={dismissing} onClick={() => setDismissing(!dismissing)}>
            Dismiss…
          </button>
        </div>
      )}
      {message && (
        <p className="notice notice--success" tabIndex={-1} ref={confirmation}>
          {message}
        </p>
      )}
      <ErrorSummary problem={problem} formId={formId} title="That did not work" />
      {dismissing && (
        <FormErrors formId={formId} problem={problem}>
          <form className="action-card__panel" onSubmit={dismiss} noValidate aria-label={`Dismiss: ${title}`}>
            <SelectField name="reasonCode" label="Reason" required empty="Choose a reason" options={DISMISS_REASON_CODES} value={values.reasonCode ?? ''} onChange={(e) => setValues((v) => ({ ...v, reasonCode: e.target.value }))} />
            <TextArea name="note" label="Note" value={values.note ?? ''} onChange={(e) => setValues((v) => ({ ...v, note: e.target.value }))} />
            <FormButtons busy={busy} submit="Dismiss incident" onCancel={() => setDismissing(false)} />
          </form>
        </FormErrors>
      )}
    </article>
  );
}
