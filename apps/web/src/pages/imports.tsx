/**
 * Bulk import of incidents: a source's CSV file (the data.police.uk street-level file, or any
 * extract with its columns named), sent as it is; the import runs on the server and this page asks
 * for its report until it completes. Past imports, each with its report and a withdraw (confirmed
 * first) for a mistaken one.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { FormButtons } from '../action-card';
import { useAnnounce } from '../announcer';
import { ApiProblem, describeProblem, get, newIdempotencyKey, request, upload, withQuery } from '../api';
import { Badge, ErrorSummary, formatDateTime, FormErrors, Loaded, Notice, SelectField, SortableTable, TextField, Time } from '../components';
import { useAsync, useInterval, type AsyncState } from '../hooks';
import { IMPORT_COUNTS, IMPORT_FORMATS, importRunning, normaliseImport, normaliseSource, type ImportCount, type ImportStatus, type Source } from '../incident-model';
import { itemsOf } from '../model';
import { setSearchParams, useSearchParams } from '../router';
import { useSession } from '../session-context';
import { label } from '../vocab';

const FORM = 'import';
const POLL_MS = 2000;

const COUNT_LABELS: Record<ImportCount, string> = {
  rowsRead: 'Rows read',
  recorded: 'Recorded',
  unchanged: 'Unchanged',
  updated: 'Updated',
  withdrawn: 'Withdrawn',
  rejected: 'Rejected',
  outsidePartnership: 'Outside the partnership',
};

/** The columns a mapped CSV names; the location is one of three pairs. */
const MAPPING_FIELDS = [
  { name: 'externalId', label: 'Column with the record’s own id', required: true },
  { name: 'occurredAt', label: 'Column with when it happened', required: true },
  { name: 'category', label: 'Column with its category', required: true },
];
const LOCATIONS: { value: string; label: string; columns: { name: string; label: string }[] }[] = [
  { value: 'latlng', label: 'Latitude and longitude', columns: [{ name: 'lat', label: 'Latitude column' }, { name: 'lng', label: 'Longitude column' }] },
  { value: 'grid', label: 'Easting and northing (British National Grid)', columns: [{ name: 'easting', label: 'Easting column' }, { name: 'northing', label: 'Northing column' }] },
  { value: 'lsoa', label: 'LSOA code', columns: [{ name: 'lsoaCode', label: 'LSOA code column' }] },
];

export function ImportsPage() {
  const params = useSearchParams();
  const shown = params.get('id') ?? '';
  const [listKey, setListKey] = useState(0);
  const imports = useAsync(async () => itemsOf((await get(withQuery('/v1/imports', { limit: 50 }))).data).map(normaliseImport), [listKey]);
  const sources = useAsync(async () => itemsOf((await get('/v1/sources')).data).map(normaliseSource), []);
  const sourceName = (code: string | undefined) => (code ? (sources.data?.find((s) => s.code === code)?.name ?? code) : 'the file');

  return (
    <>
      <h1 tabIndex={-1}>Imports</h1>
      <ImportForm sources={sources} onStarted={(id) => setSearchParams({ id })} />
      {shown && <ImportReport id={shown} onFinished={() => setListKey((k) => k + 1)} />}
      <PastImports state={imports} shown={shown} sourceName={sourceName} onWithdrawn={() => setListKey((k) => k + 1)} />
    </>
  );
}

function ImportForm({ sources, onStarted }: { sources: AsyncState<Source[]>; onStarted: (id: string) => void }) {
  const { session } = useSession();
  const announce = useAnnounce();
  const [values, setValues] = useState<Record<string, string>>({ format: 'police-uk-street', location: 'latlng' });
  const [complete, setComplete] = useState(false);
  const [file, setFile] = useState<File>();
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const set = (name: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));
  const partnerships = session.claims.partnerships ?? [];
  const mapped = values.format === 'mapped-csv';
  const location = LOCATIONS.find((l) => l.value === values.location) ?? LOCATIONS[0]!;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    if (!file) {
      const message = 'Choose the CSV file to import';
      setProblem(new ApiProblem(400, 'VALIDATION_FAILED', 'No file chosen', message, [{ field: 'file', message }]));
      return;
    }
    const mapping = mapped
      ? Object.fromEntries([...MAPPING_FIELDS, ...location.columns, { name: 'address' }, { name: 'description' }].flatMap((f) => (values[f.name]?.trim() ? [[f.name, values[f.name]!.trim()]] : [])))
      : undefined;
    setBusy(true);
    try {
      const path = withQuery('/v1/imports', {
        source: values.source,
        format: values.format,
        complete: complete ? 'true' : undefined,
        mapping: mapping ? JSON.stringify(mapping) : undefined,
        partnership: values.partnership,
      });
      const { id } = await upload(path, { data: file, type: 'text/csv' });
      announce(`Import of ${file.name} started.`);
      setFile(undefined);
      if (fileInput.current) fileInput.current.value = '';
      onStarted(id);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-import" className="panel">
      <h2 id="new-import">Import a file</h2>
      <ErrorSummary problem={problem} formId={FORM} title="The import did not start" />
      <FormErrors formId={FORM} problem={problem}>
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <div className="row">
            <SelectField
              name="source"
              label="Source"
              required
              empty={sources.error ? 'Sources could not be loaded' : 'Choose a source'}
              options={(sources.data ?? [])
                .filter((s) => !values.partnership || !s.partnership || s.partnership === values.partnership)
                .map((s) => ({ value: s.code, label: `${s.name}${s.kind ? ` (${label(s.kind)})` : ''}${partnerships.length > 1 && s.partnership ? `, ${s.partnership}` : ''}` }))}
              value={values.source ?? ''}
              onChange={set('source')}
            />
            <SelectField name="format" label="Format" required options={IMPORT_FORMATS} value={values.format ?? ''} onChange={set('format')} />
          </div>
          {partnerships.length > 1 && (
            <SelectField name="partnership" label="Partnership" required empty="Choose a partnership" options={partnerships.map((p) => ({ value: p, label: p }))} value={values.partnership ?? ''} onChange={set('partnership')} />
          )}
          {mapped && (
            <fieldset>
              <legend>The file’s columns</legend>
              <p className="hint">Type each column’s heading as it is in the file’s first row.</p>
              {MAPPING_FIELDS.map((f) => (
                <TextField key={f.name} name={`mapping.${f.name}`} label={f.label} required value={values[f.name] ?? ''} onChange={set(f.name)} />
              ))}
              <SelectField name="location" label="Where it happened is given as" required options={LOCATIONS.map(({ value, label: text }) => ({ value, label: text }))} value={values.location ?? ''} onChange={set('location')} />
              <div className="row">
                {location.columns.map((c) => (
                  <TextField key={c.name} name={`mapping.${c.name}`} label={c.label} required value={values[c.name] ?? ''} onChange={set(c.name)} />
                ))}
              </div>
              <TextField name="mapping.address" label="Column with the address" value={values.address ?? ''} onChange={set('address')} />
              <TextField name="mapping.description" label="Column with a description" value={values.description ?? ''} onChange={set('description')} />
            </fieldset>
          )}
          <div className="field">
            <label htmlFor={`${FORM}-file`}>
              CSV file<span aria-hidden="true"> *</span>
            </label>
            <input id={`${FORM}-file`} ref={fileInput} type="file" accept=".csv,text/csv" required aria-invalid={problem instanceof ApiProblem && problem.errors.some((e) => e.field === 'file') ? true : undefined} onChange={(e) => setFile(e.target.files?.[0])} />
          </div>
          <div className="field field--checkbox">
            <input id={`${FORM}-complete`} type="checkbox" checked={complete} onChange={(e) => setComplete(e.target.checked)} aria-describedby={`${FORM}-complete-hint`} />
            <label htmlFor={`${FORM}-complete`}>The file is complete for each month it holds</label>
          </div>
          <p className="hint" id={`${FORM}-complete-hint`}>
            Then incidents of those months imported earlier from this source and absent from this file are withdrawn.
          </p>
          <FormButtons busy={busy} submit="Start the import" />
        </form>
      </FormErrors>
    </section>
  );
}

/** One import's report, asked again every 2 s while it is queued or running. */
function ImportReport({ id, onFinished }: { id: string; onFinished: () => void }) {
  const report = useAsync(async () => normaliseImport((await get<Record<string, unknown>>(`/v1/imports/${id}`)).data), [id]);
  const running = !report.data || importRunning(report.data.status);
  const wasRunning = useRef(false);
  useInterval(() => void report.reload(), POLL_MS, !!report.data && running && !report.error);
  useEffect(() => {
    if (report.data && !running && wasRunning.current) onFinished();
    wasRunning.current = running;
  }, [report.data, running, onFinished]);

  return (
    <section aria-labelledby="import-report" className="panel" data-import-id={id}>
      <div className="section-head">
        <h2 id="import-report">Import report</h2>
        <button type="button" className="button button--quiet" onClick={() => setSearchParams({})}>
          Close the report
        </button>
      </div>
      <Loaded state={report} what="the import’s report">
        {(data) => (
          <>
            <p role="status" aria-live="polite">
              <Badge value={data.status} kind={data.status === 'failed' ? 'declined' : data.status === 'completed' ? 'discharged' : 'open'} />{' '}
              {importRunning(data.status) ? 'Importing: this report updates itself.' : data.status === 'failed' ? `The import failed${data.reason ? `: ${data.reason}` : '.'}` : null}
            </p>
            <dl className="figures" aria-label="Rows of the file">
              {IMPORT_COUNTS.map((key) => (
                <div key={key}>
                  <dt>{COUNT_LABELS[key]}</dt>
                  <dd data-figure={key}>{data.counts[key]}</dd>
                </div>
              ))}
            </dl>
            {data.rejectedRows.length > 0 && (
              <SortableTable
                caption={`Rejected rows${data.counts.rejected > data.rejectedRows.length ? ` (the first ${data.rejectedRows.length} of ${data.counts.rejected})` : ''}`}
                rowKey={(r) => `${r.row}-${r.column ?? ''}`}
                rows={data.rejectedRows}
                columns={[
                  { key: 'row', header: 'Row', numeric: true, render: (r) => r.row, sortValue: (r) => r.row },
                  { key: 'column', header: 'Column', render: (r) => r.column ?? '–', sortValue: (r) => r.column ?? '' },
                  { key: 'reason', header: 'Reason', render: (r) => r.reason },
                ]}
              />
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}

function PastImports({ state, shown, sourceName, onWithdrawn }: { state: AsyncState<ImportStatus[]>; shown: string; sourceName: (code: string | undefined) => string; onWithdrawn: () => void }) {
  const announce = useAnnounce();
  const [confirming, setConfirming] = useState<string>();
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const [confirmed, setConfirmed] = useState(0);
  const confirmation = useRef<HTMLDivElement>(null);

  // The withdraw button is gone afterwards: focus goes to the confirmation.
  useEffect(() => {
    if (confirmed > 0) confirmation.current?.focus();
  }, [confirmed]);

  const withdraw = async (event: FormEvent, item: ImportStatus) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const { data } = await request<{ withdrawn?: number }>('POST', `/v1/imports/${item.id}/withdraw`, { idempotencyKey: newIdempotencyKey() });
      setConfirming(undefined);
      const count = typeof data?.withdrawn === 'number' ? `${data.withdrawn} incident${data.withdrawn === 1 ? '' : 's'}` : 'the incidents it recorded';
      const text = `Import of ${sourceName(item.source)} withdrawn: ${count} withdrawn.`;
      setMessage(text);
      setConfirmed((n) => n + 1);
      announce(text);
      onWithdrawn();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="past-imports" className="panel">
      <h2 id="past-imports">Past imports</h2>
      {message && (
        <div tabIndex={-1} ref={confirmation}>
          <Notice kind="success">{message}</Notice>
        </div>
      )}
      {problem ? <Notice kind="warning">The import was not withdrawn. {describeProblem(problem)}</Notice> : null}
      <Loaded state={state} what="past imports" isEmpty={(data) => data.length === 0} empty={<p className="empty">No imports yet.</p>}>
        {(data) => (
          <SortableTable
            caption="Imports, latest first"
            rowKey={(i) => i.id}
            rows={data}
            columns={[
              { key: 'startedAt', header: 'Started', render: (i) => <Time value={i.startedAt} withTime />, sortValue: (i) => i.startedAt ?? '' },
              { key: 'source', header: 'Source', render: (i) => sourceName(i.source), sortValue: (i) => sourceName(i.source) },
              { key: 'format', header: 'Format', render: (i) => (i.format ? label(i.format) : '–') },
              { key: 'status', header: 'Status', render: (i) => <Badge value={i.status} kind={i.status === 'failed' ? 'declined' : i.status === 'completed' ? 'discharged' : i.status === 'withdrawn' ? 'cancelled' : 'open'} /> },
              { key: 'recorded', header: 'Recorded', numeric: true, render: (i) => i.counts.recorded, sortValue: (i) => i.counts.recorded },
              { key: 'rejected', header: 'Rejected', numeric: true, render: (i) => i.counts.rejected, sortValue: (i) => i.counts.rejected },
              {
                key: 'do',
                header: 'Report and withdraw',
                render: (i) => (
                  <div className="table-buttons">
                    <button type="button" className="button button--secondary" aria-current={shown === i.id ? 'true' : undefined} onClick={() => setSearchParams({ id: i.id })}>
                      Show report<span className="visually-hidden"> of the import started {formatDateTime(i.startedAt)}</span>
                    </button>
                    {(i.status === 'completed' || i.status === 'failed') &&
                      (confirming === i.id ? (
                        <form onSubmit={(e) => void withdraw(e, i)} aria-label="Confirm the withdrawal">
                          <p>Withdraw every incident this import recorded?</p>
                          <FormButtons busy={busy} submit="Withdraw the import" danger onCancel={() => setConfirming(undefined)} />
                        </form>
                      ) : (
                        <button type="button" className="button button--danger" onClick={() => setConfirming(i.id)}>
                          Withdraw…<span className="visually-hidden"> the import started {formatDateTime(i.startedAt)}</span>
                        </button>
                      ))}
                  </div>
                ),
              },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}
