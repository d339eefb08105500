import { useState, type FormEvent } from 'react';
import { command } from '../api';
import { useSession } from '../session-context';
import { ErrorSummary, FormErrors, localToIso, Notice, SelectField, TextArea, TextField } from '../components';
import { useReference } from '../reference';
import { Link, navigate, useSearchParams } from '../router';
import { PRIORITIES, PROBLEM_SOURCES } from '../vocab';

const FORM = 'raise';

/**
 * Raise a problem; the API's field errors (problem+json `errors`) are shown beside their fields.
 * From the triage screen or an emerging hotspot the address carries `incidentIds` (linked in the
 * same append as the raise) and the category, area and point to start from.
 */
export function RaiseProblemPage() {
  const { can, session } = useSession();
  const reference = useReference();
  const params = useSearchParams();
  const [incidentIds] = useState(() => (params.get('incidentIds') ?? '').split(',').filter(Boolean));
  const [values, setValues] = useState<Record<string, string>>(() => {
    const given = Object.fromEntries(['category', 'areaCode', 'lat', 'lng'].flatMap((key) => (params.get(key) ? [[key, params.get(key)!]] : [])));
    return { source: 'tasking-meeting', ...given };
  });
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (name: string) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));
  const partnerships = session.claims.partnerships ?? [];

  if (!can('inspector')) {
    return (
      <>
        <h1 tabIndex={-1}>Raise a problem</h1>
        <p>Only inspectors raise problems.</p>
      </>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    const optionalNumber = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v));
    const body = {
      title: values.title ?? '',
      description: values.description ?? '',
      category: values.category ?? '',
      location: {
        areaCode: values.areaCode ?? '',
        ...(optionalNumber(values.lat) !== undefined ? { lat: optionalNumber(values.lat) } : {}),
        ...(optionalNumber(values.lng) !== undefined ? { lng: optionalNumber(values.lng) } : {}),
        ...(values.address ? { address: values.address } : {}),
      },
      ...(values.priority ? { priority: values.priority } : {}),
      ...(values.source ? { source: values.source } : {}),
      ...(values.groupCode ? { groupCode: values.groupCode } : {}),
      ...(values.partnership ? { partnership: values.partnership } : {}),
      ...(values.raisedAt ? { raisedAt: localToIso(values.raisedAt) } : {}),
      ...(incidentIds.length > 0 ? { incidentIds } : {}),
    };
    try {
      const result = await command('/v1/problems', body);
      navigate(`/problems/${result.id}`);
    } catch (error) {
      setProblem(error);
      setBusy(false);
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/problems">Problems</Link>
      </p>
      <h1 tabIndex={-1}>Raise a problem</h1>
      {incidentIds.length > 0 && (
        <Notice>
          Raised from {incidentIds.length} incident{incidentIds.length === 1 ? '' : 's'}: {incidentIds.length === 1 ? 'it is' : 'they are'} linked to the problem as it is raised. <Link to="/incidents">Back to the incidents</Link>
        </Notice>
      )}
      <ErrorSummary problem={problem} formId={FORM} title="The problem was not raised" />
      <FormErrors formId={FORM} problem={problem}>
        <form onSubmit={(e) => void submit(e)} className="form" noValidate aria-describedby="raise-required">
          <p id="raise-required" className="hint">
            Fields marked * are required.
          </p>
          <TextField name="title" label="Title" required maxLength={200} value={values.title ?? ''} onChange={set('title')} />
          <TextArea name="description" label="Description" required hint="What is happening, where and when. Avoid naming people here." value={values.description ?? ''} onChange={set('description')} />
          <SelectField name="category" label="Category" required empty="Choose a category" options={reference.categories} value={values.category ?? ''} onChange={set('category')} />
          <fieldset>
            <legend>Location</legend>
            <SelectField name="location.areaCode" label="Area" required empty="Choose an area" options={reference.areas.map((a) => ({ value: a.code, label: a.name }))} value={values.areaCode ?? ''} onChange={set('areaCode')} />
            <TextField name="location.address" label="Address or place" value={values.address ?? ''} onChange={set('address')} />
            <div className="row">
              <TextField name="location.lat" label="Latitude" inputMode="decimal" hint="-90 to 90" value={values.lat ?? ''} onChange={set('lat')} />
              <TextField name="location.lng" label="Longitude" inputMode="decimal" hint="-180 to 180" value={values.lng ?? ''} onChange={set('lng')} />
            </div>
          </fieldset>
          <div className="row">
            <SelectField name="priority" label="Priority" empty="Not set yet" options={PRIORITIES} value={values.priority ?? ''} onChange={set('priority')} />
            <SelectField name="source" label="Source" options={PROBLEM_SOURCES} value={values.source ?? ''} onChange={set('source')} />
          </div>
          {reference.groups.length > 0 && (
            <SelectField name="groupCode" label="Tasking group" empty="None" options={reference.groups.map((g) => ({ value: g.code, label: g.name }))} value={values.groupCode ?? ''} onChange={set('groupCode')} />
          )}
          {partnerships.length > 1 && (
            <SelectField name="partnership" label="Partnership" required empty="Choose a partnership" options={partnerships.map((p) => ({ value: p, label: p }))} value={values.partnership ?? ''} onChange={set('partnership')} />
          )}
          <TextField name="raisedAt" label="Raised at" type="datetime-local" hint="Leave empty for now." value={values.raisedAt ?? ''} onChange={set('raisedAt')} />
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Raising…' : 'Raise problem'}
            </button>
            <Link to="/problems" className="button button--quiet">
              Cancel
            </Link>
          </div>
        </form>
      </FormErrors>
    </>
  );
}
