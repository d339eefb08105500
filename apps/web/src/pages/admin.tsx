import { useState, type FormEvent } from 'react';
import { command, get } from '../api';
import { FormButtons } from '../action-card';
import { useSession } from '../session-context';
import { ErrorSummary, FormErrors, Loaded, Notice, SelectField, SortableTable, TextField } from '../components';
import { useAsync } from '../hooks';
import { itemsOf } from '../model';
import { useReference } from '../reference';

const AGENCY_KINDS = ['police', 'local-authority', 'fire-rescue', 'health', 'probation', 'housing', 'youth', 'voluntary', 'other'];

interface ProjectionStatus {
  name: string;
  position?: string;
  lag?: number;
  status?: string;
  lastError?: string | null;
}

/** Administration: agencies, groups and areas (read and register), projection health. */
export function AdminPage() {
  const { can } = useSession();
  const reference = useReference();
  const projections = useAsync(async () => itemsOf((await get('/v1/admin/projections')).data) as unknown as ProjectionStatus[], []);
  const [values, setValues] = useState<Record<string, string>>({ kind: 'police' });
  const [problem, setProblem] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  if (!can('admin')) {
    return (
      <>
        <h1 tabIndex={-1}>Administration</h1>
        <p>Only administrators see this page.</p>
      </>
    );
  }

  const register = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    try {
      await command('/v1/agencies', { code: (values.code ?? '').toUpperCase(), name: values.name ?? '', kind: values.kind ?? '' });
      setDone(`Agency ${values.code?.toUpperCase()} registered. It appears in lists after the next sign-in.`);
      setValues({ kind: 'police' });
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Administration</h1>
      <section className="panel" aria-labelledby="projections">
        <h2 id="projections">Projections</h2>
        <Loaded state={projections} what="projection status">
          {(data) => (
            <SortableTable
              caption="Read models and how far behind the log they are"
              rowKey={(p) => p.name}
              rows={data}
              columns={[
                { key: 'name', header: 'Projection', render: (p) => p.name, sortValue: (p) => p.name },
                { key: 'status', header: 'Status', render: (p) => p.status ?? '', sortValue: (p) => p.status ?? '' },
                { key: 'lag', header: 'Lag (events)', numeric: true, render: (p) => p.lag ?? '–', sortValue: (p) => p.lag ?? 0 },
                { key: 'error', header: 'Last error', render: (p) => p.lastError ?? '' },
              ]}
            />
          )}
        </Loaded>
      </section>
      <section className="panel" aria-labelledby="agencies">
        <h2 id="agencies">Agencies</h2>
        <SortableTable
          caption="Registered agencies"
          rowKey={(a) => a.code}
          rows={reference.agencies}
          columns={[
            { key: 'code', header: 'Code', render: (a) => a.code, sortValue: (a) => a.code },
            { key: 'name', header: 'Name', render: (a) => a.name, sortValue: (a) => a.name },
            { key: 'kind', header: 'Kind', render: (a) => a.kind ?? '' },
            { key: 'active', header: 'Active', render: (a) => (a.active ? 'Yes' : 'No') },
          ]}
        />
        <h3>Register an agency</h3>
        {done && <Notice kind="success">{done}</Notice>}
        <ErrorSummary problem={problem} formId="agency" title="The agency was not registered" />
        <FormErrors formId="agency" problem={problem}>
          <form onSubmit={(e) => void register(e)} noValidate>
            <div className="row">
              <TextField name="code" label="Code" required hint="Capitals, e.g. COUNCIL-ASB" value={values.code ?? ''} onChange={set('code')} />
              <TextField name="name" label="Name" required value={values.name ?? ''} onChange={set('name')} />
              <SelectField name="kind" label="Kind" required options={AGENCY_KINDS} value={values.kind ?? ''} onChange={set('kind')} />
            </div>
            <FormButtons busy={busy} submit="Register agency" />
          </form>
        </FormErrors>
      </section>
      <section className="panel" aria-labelledby="groups">
        <h2 id="groups">Tasking groups and areas</h2>
        <ul>
          {reference.groups.map((g) => (
            <li key={g.code}>
              {g.name} ({g.code}): {g.areaCodes.map((c) => reference.areas.find((a) => a.code === c)?.name ?? c).join(', ') || 'no areas'}
            </li>
          ))}
        </ul>
        {reference.missing.length > 0 && <Notice kind="warning">Some reference lists could not be read: {reference.missing.join(', ')}.</Notice>}
      </section>
    </>
  );
}
